// Issue 6: the students page (CSV import reporting each rejected line and why), the users page
// (roles and student links), the meetings list, keyboard-only use, and the phone layout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from '../support/server.mjs';
import { eventually, openBrowser, PHONE, screenshot } from './support/browser.mjs';

const server = new Server();
let admin;
let dave;
let browser;

before(async () => {
  await server.start();
  admin = await server.createUser({ username: 'teacher', role: 'admin' });
  dave = await server.register('dave', { email: 'dave@example.com' });
  browser = await openBrowser();
});
after(async () => {
  await browser?.close();
  await server.cleanup();
});

test('signing in works from the keyboard alone', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/admin/students`);
  // the form takes the focus; Tab moves to the password; Enter submits
  await page.getByLabel('Username or email').waitFor();
  await eventually(() => page.evaluate(() => document.activeElement?.name === 'login'), { message: 'login has the focus' });
  await page.keyboard.type(admin.username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(admin.password);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Students' }).waitFor();
  // the focus moves to the new page's heading, so a screen reader reads where it landed (once
  // the page has rendered, which includes its first data: the heading can show just before)
  const focused = () => page.evaluate(() => document.activeElement?.tagName + ' ' + document.activeElement?.textContent);
  await eventually(async () => (await focused()) === 'H1 Students', { message: 'the heading has the focus' });
  assert.equal(await focused(), 'H1 Students');
  // on a fresh load the skip link is the first stop and leads past the top bar
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Students' }).waitFor();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
});

test('CSV import lands the good rows and lists each rejected line with the reason', async () => {
  const { page } = browser;
  const csv = [
    'studentId,firstName,lastName,department,email',
    '1001,Dave,Jones,Physics,dave@example.com',
    'not-a-number,Bad,Id,Physics,bad@example.com',
    '1002,"Ann, Marie",Lee,Chemistry,ann@example.com',
    '1003,Missing,Email,Biology,',
  ].join('\n');
  await page.getByLabel('CSV text').fill(csv);
  await page.getByRole('button', { name: 'Import' }).click();
  const result = page.locator('#import-result');
  await result.getByText('2 imported, 0 updated, 2 rejected.').waitFor();
  const rejected = await result.locator('table.import-errors tbody tr').evaluateAll((rows) => rows.map((r) =>
    [...r.querySelectorAll('td')].map((td) => td.textContent)));
  assert.deepEqual(rejected.map(([line]) => line), ['3', '5']);
  for (const [, why] of rejected) assert.ok(why.length > 0, 'each rejected line says why');
  const list = page.locator('tr[data-student-id]');
  await eventually(async () => (await list.count()) === 2, { message: 'the list shows the imported students' });
  assert.equal(await page.locator('tr[data-student-id="1002"] td[data-label="Name"]').innerText(), 'Ann, Marie Lee');
  await screenshot(page, 'admin-1-students-import');
  const stored = await server.api('GET', '/api/students', { token: admin.token });
  assert.deepEqual(stored.body.students.map((s) => s.studentId).sort(), [1001, 1002]);
});

test('the users page changes a role and links a student', async () => {
  const { page } = browser;
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
  const tr = page.locator('tr[data-username="dave"]');
  await tr.waitFor();
  await tr.getByLabel('Student id linked to dave').fill('1002');
  await tr.getByLabel('Role of dave').selectOption('admin');
  await tr.getByRole('button', { name: 'Save' }).click();
  await tr.getByText('Saved').waitFor();
  let stored = (await server.api('GET', '/api/users', { token: admin.token })).body.users.find((u) => u.username === 'dave');
  assert.equal(stored.role, 'admin');
  assert.equal(stored.studentId, 1002);
  await screenshot(page, 'admin-2-users-role-and-student');
  // unlinking and a bad id
  await tr.getByLabel('Student id linked to dave').fill('');
  await tr.getByLabel('Role of dave').selectOption('user');
  await tr.getByRole('button', { name: 'Save' }).click();
  await tr.getByText('Saved').waitFor();
  stored = (await server.api('GET', '/api/users', { token: admin.token })).body.users.find((u) => u.username === 'dave');
  assert.equal(stored.role, 'user');
  assert.equal(stored.studentId, null);
  await tr.getByLabel('Student id linked to dave').fill('999999');
  await tr.getByRole('button', { name: 'Save' }).click();
  await eventually(async () => /\S/.test(await tr.locator('.field-error').innerText()), { message: 'an unknown student is refused' });
  stored = (await server.api('GET', '/api/users', { token: admin.token })).body.users.find((u) => u.username === 'dave');
  assert.equal(stored.studentId, null);
  assert.deepEqual(browser.problems, []);
});

test('the meetings list shows a meeting once someone registers for it, and updates live', async () => {
  const { page } = browser;
  await page.getByRole('link', { name: 'Meetings' }).click();
  await page.getByRole('heading', { level: 1, name: 'Meetings' }).waitFor();
  const joined = await server.api('POST', '/api/user-sessions/join-meeting', { token: dave.token, json: { meetingId: '111222333' } });
  assert.equal(joined.status, 201);
  const tr = page.locator('tr[data-meeting-id="111222333"]');
  // the list refreshes half a second after an event; a loaded machine gets a few seconds more
  await tr.waitFor({ timeout: 5000 });
  await eventually(async () => (await tr.locator('td[data-label="Signed-in sessions"]').innerText()) === '1',
    { timeout: 5000, message: 'the session is counted' });
  await eventually(async () => (await page.locator('[data-stat="active-sessions"] dd').innerText()) === '1',
    { timeout: 5000, message: 'the statistics count it' });
  await screenshot(page, 'admin-3-meetings-list');
  await tr.getByRole('link').click();
  await page.locator('#participants tr[data-key]').first().waitFor();
  assert.deepEqual(browser.problems, []);
});

test('at 360 px the meeting view fits the screen as cards', async () => {
  const phone = await openBrowser({ viewport: PHONE });
  try {
    const { page } = phone;
    await page.goto(`${server.url}/admin/meetings/111222333`);
    await page.getByLabel('Username or email').fill(admin.username);
    await page.getByLabel('Password', { exact: true }).fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const tr = page.locator('#participants tr[data-key]').first();
    await tr.waitFor();
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling');
    // each cell is labelled with its column for the card layout
    const labels = await tr.locator('td').evaluateAll((cells) => cells.map((c) => getComputedStyle(c, '::before').content));
    assert.ok(labels.includes('"Username"'), JSON.stringify(labels));
    await screenshot(page, 'admin-4-meeting-phone');
    assert.deepEqual(phone.problems, []);
  } finally {
    await phone.close();
  }
});
