// Issue 6, done-when: a non-admin is refused the admin pages. Runs on the API of main alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, withServer } from '../support/server.mjs';
import { openBrowser, screenshot, signIn } from './support/browser.mjs';

const server = new Server({ testClock: true });
let student;
let browser;

before(async () => {
  await server.start();
  await server.createUser({ username: 'teacher', role: 'admin' });
  student = await server.register('bob', { email: 'bob@example.com' });
  browser = await openBrowser();
});
after(async () => {
  await browser?.close();
  await server.cleanup();
});

const ADMIN_PAGES = ['/', '/admin', '/admin/meetings/123456789', '/admin/students', '/admin/users'];

test('a signed-out visitor of an admin page sees the sign-in form and no data', async () => {
  const { page } = browser;
  const calls = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname.startsWith('/api/')) calls.push(r.url()); });
  await page.goto(`${server.url}/admin/students`);
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  assert.deepEqual(calls, [], 'nothing is asked of the API before signing in');
  // the dashboard's sign-in offers no self-registration
  assert.equal(await page.getByRole('button', { name: 'Create an account' }).count(), 0);
});

test('a user is refused every admin page with "Admin privileges required"', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/`);
  await signIn(page, 'bob@example.com', student.password);
  for (const p of ADMIN_PAGES) {
    await page.goto(`${server.url}${p}`);
    await page.getByRole('heading', { level: 1, name: 'Admin privileges required' }).waitFor();
    assert.match(await page.locator('main').innerText(), /signed in as bob, which is not an administrator account/, p);
    assert.equal(await page.locator('#participants, table').count(), 0, `${p} shows no admin data`);
  }
  const nav = await page.getByRole('navigation', { name: 'Main' }).innerText();
  assert.doesNotMatch(nav, /Meetings|Students|Users/);
  assert.match(nav, /My sessions/);
  assert.match(await page.locator('#whoami').innerText(), /bob \(user\)/);
  await screenshot(page, 'access-1-user-refused');

  // the server refuses too: the page is only the messenger
  for (const p of ['/api/users', '/api/students', '/api/user-sessions/stats']) {
    const r = await server.api('GET', p, { token: student.token });
    assert.equal(r.status, 403, p);
    assert.equal(r.body.message, 'Admin privileges required');
  }
  // and the link it offers works
  await page.getByRole('link', { name: 'See my sessions' }).click();
  await page.getByRole('heading', { level: 1, name: 'My sessions' }).waitFor();
  assert.deepEqual(browser.problems, []);
});

test('an account demoted while signed in is refused at its next admin request', async () => {
  const { page } = browser;
  const carol = await server.createUser({ username: 'carol', role: 'admin' });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.goto(`${server.url}/admin/students`);
  await signIn(page, 'carol', carol.password);
  await page.getByRole('heading', { level: 1, name: 'Students' }).waitFor();
  const admin = await server.createUser({ username: 'principal', role: 'admin' });
  const demoted = await server.api('PATCH', `/api/users/${carol.id}`, { token: admin.token, json: { role: 'user' } });
  assert.equal(demoted.status, 200);
  // within the server's user cache lifetime (under 5 s) the role from storage applies
  await server.advanceClock(5000);
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('heading', { level: 1, name: 'Admin privileges required' }).waitFor({ timeout: 5000 });
  await screenshot(page, 'access-2-demoted-admin-refused');
  assert.deepEqual(browser.problems, []);
});

test('a sign-in refused after too many failures says how long to wait', async () => {
  await withServer({ env: { RATE_LIMIT_ACCOUNT_PER_MIN: '2' } }, async (limited) => {
    const dave = await limited.createUser({ username: 'dave', role: 'admin' });
    for (let i = 0; i < 2; i++) {
      const r = await limited.api('POST', '/api/auth/login', { json: { login: 'dave', password: 'not-his-password' } });
      assert.equal(r.status, 401, `failure ${i}`);
    }
    // another origin: the page starts signed out
    const { page } = browser;
    await page.goto(`${limited.url}/admin`);
    await page.getByLabel('Username or email').fill('dave');
    await page.getByLabel('Password', { exact: true }).fill(dave.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const refusal = page.getByText(/^Too many attempts, try again in \d+ s$/);
    await refusal.waitFor();
    // 2 failures a minute: a token is back 30 s after the last failure
    const seconds = Number((await refusal.innerText()).match(/(\d+) s$/)[1]);
    assert.ok(seconds > 20 && seconds <= 30, `${seconds} s`);
    assert.equal(await page.getByRole('button', { name: 'Sign in' }).isEnabled(), true);
    await screenshot(page, 'access-3-sign-in-rate-limited');
    assert.deepEqual(browser.problems, []);
  });
});
