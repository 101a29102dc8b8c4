// Issue 6, done-when: the meeting page registers a user, heartbeats, and ends the session
// when closed; it also rides out a network outage and shows the user their attendance.
// A short SESSION_TIMEOUT makes the heartbeat interval (a third of it) short enough to watch,
// and proves the heartbeats are what keeps the session from expiring.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from '../support/server.mjs';
import { eventually, openBrowser, PHONE, screenshot, signIn } from './support/browser.mjs';

const MEETING = '555000111';
const TIMEOUT_SECONDS = 9;
const server = new Server({ env: { SESSION_TIMEOUT: String(TIMEOUT_SECONDS), CLEANUP_INTERVAL: '1' } });
let user;
let admin;
let browser;

before(async () => {
  await server.start();
  admin = await server.createUser({ username: 'teacher', role: 'admin' });
  user = await server.register('grace', { email: 'grace@example.com' });
  browser = await openBrowser({ viewport: PHONE });
});
after(async () => {
  await browser?.close();
  await server.cleanup();
});

async function mySessions() {
  const r = await server.api('GET', '/api/user-sessions/my-sessions', { token: user.token });
  assert.equal(r.status, 200);
  return r.body.sessions.filter((s) => s.meetingId === MEETING);
}

let sessionId;
const heartbeats = [];

test('opening the meeting page and signing in registers the user for attendance', async () => {
  const { page } = browser;
  page.on('response', (r) => {
    if (new URL(r.url()).pathname === '/api/user-sessions/activity') heartbeats.push({ status: r.status(), at: Date.now() });
  });
  await page.goto(`${server.url}/meeting/${MEETING}`);
  await page.getByText('Sign in to register your attendance for this meeting.').waitFor();
  await signIn(page, 'grace', user.password);
  await page.locator('[data-state="active"]').waitFor({ timeout: 5000 });
  const sessions = await mySessions();
  assert.equal(sessions.length, 1);
  assert.equal(sessions[0].isActive, true);
  assert.match(sessions[0].device, /Web Browser$/);
  sessionId = sessions[0].sessionId;
  assert.equal(await page.evaluate(() => sessionStorage.getItem('meetingSessionId')), sessionId);
  assert.equal(await page.evaluate(() => localStorage.getItem('authToken')) !== null, true);
  const seenByAdmin = await server.api('GET', `/api/user-sessions/meeting/${MEETING}/authenticated-participants`, { token: admin.token });
  assert.deepEqual(seenByAdmin.body.participants.map((p) => p.sessionId), [sessionId]);
  // the page shows the user their own attendance
  await page.locator(`tr[data-session-id="${sessionId}"]`).waitFor();
  assert.match(await page.locator('main').innerText(), /In total: .* over 1 session/);
});

test('heartbeats keep the session alive past the session timeout', async () => {
  const { page } = browser;
  const clock = page.locator('.big-clock');
  const before = await clock.innerText();
  await eventually(() => heartbeats.filter((h) => h.status === 200).length >= 3,
    { timeout: TIMEOUT_SECONDS * 1000 + 3000, message: 'three heartbeats' });
  const gaps = heartbeats.slice(1).map((h, i) => h.at - heartbeats[i].at);
  console.log(`heartbeat gaps: ${gaps.join(', ')} ms`);
  for (const gap of gaps) assert.ok(gap < (TIMEOUT_SECONDS * 1000) / 2, `gap ${gap} ms stays well below the timeout`);
  // by now more time than the timeout has passed since the join
  await new Promise((r) => setTimeout(r, 1500));
  const [session] = await mySessions();
  assert.equal(session.sessionId, sessionId);
  assert.equal(session.isActive, true, 'not expired');
  assert.ok(Date.parse(session.lastActivity) - Date.parse(session.joinTime) >= TIMEOUT_SECONDS * 1000 - 4000);
  assert.notEqual(await clock.innerText(), before, 'the time in this session ticks');
  await screenshot(page, 'meeting-page-1-registered-phone');
});

test('offline, the page retries with backoff and confirms the same session once back', async () => {
  const { page, context } = browser;
  const failuresBefore = heartbeats.length;
  await context.setOffline(true);
  await page.locator('[data-state="retrying"]').waitFor({ timeout: 6000 });
  assert.match(await page.locator('main').innerText(), /You are offline/);
  await screenshot(page, 'meeting-page-2-offline-retrying');
  await context.setOffline(false);
  await page.locator('[data-state="active"]').waitFor({ timeout: 5000 });
  assert.ok(heartbeats.length > failuresBefore, 'a heartbeat went through after the outage');
  const [session] = await mySessions();
  assert.equal(session.sessionId, sessionId, 'the outage did not cost the session');
  assert.equal(session.isActive, true);
});

test('closing the page ends the session (leave-meeting with keepalive)', async () => {
  const { page } = browser;
  await page.close({ runBeforeUnload: true });
  const ended = await eventually(async () => {
    const [session] = await mySessions();
    return session.isActive ? null : session;
  }, { timeout: 3000, message: 'the session ends' });
  assert.equal(ended.sessionId, sessionId);
  assert.equal(ended.endReason, 'left', 'left, not expired');
  assert.ok(ended.duration > 0);
  assert.deepEqual(browser.problems, []);
});

test('"My sessions" lists the history with how each session ended', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${server.url}/my-sessions`);
  await page.getByRole('heading', { level: 1, name: 'My sessions' }).waitFor();
  const tr = page.locator(`tr[data-session-id="${sessionId}"]`);
  await tr.waitFor();
  assert.equal(await tr.locator('td[data-label="Meeting"]').innerText(), MEETING);
  assert.equal(await tr.locator('td[data-label="Status"]').innerText(), 'left');
  // no horizontal scrolling at 360 px
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
  await screenshot(page, 'meeting-page-3-my-sessions-phone');
  await page.close();
  assert.deepEqual(browser.problems, []);
});
