// Issue 6, done-when: an admin signs in and opens a meeting; a user (via the API) joins →
// their row appears within 2 s with username, email, role and student; a signed Zoom webhook
// for the same email → the row shows it linked; the user leaves → the row ends; CSV export
// downloads and parses. Needs the Socket.IO server and the Zoom webhook + attendance API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Server } from '../support/server.mjs';
import { eventually, openBrowser, parseCsv, screenshot, signIn, waitForLive } from './support/browser.mjs';
import { zoomWebhook } from './support/zoom.mjs';

const MEETING = '987654321';
const server = new Server();
let admin;
let ada;
let browser;

before(async () => {
  await server.start();
  admin = await server.createUser({ username: 'teacher', role: 'admin' });
  const student = await server.api('POST', '/api/students', {
    token: admin.token,
    json: { studentId: 4242, firstName: 'Ada', lastName: 'Lovelace', department: 'Mathematics', email: 'ada@example.com' },
  });
  assert.equal(student.status, 201);
  const absentee = await server.api('POST', '/api/students', {
    token: admin.token,
    json: { studentId: 4243, firstName: 'Charles', lastName: 'Babbage', department: 'Engineering', email: 'charles@school.edu' },
  });
  assert.equal(absentee.status, 201);
  ada = await server.register('ada', { email: 'ada@example.com' });
  browser = await openBrowser();
});
after(async () => {
  await browser?.close();
  await server.cleanup();
});

const row = (page, userId) => page.locator(`#participants tr[data-key="u:${userId}"]`);
const cell = (tr, label) => tr.locator(`td[data-label="${label}"]`);

test('the live participants table follows joins, Zoom links and leaves as they happen', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/admin/meetings/${MEETING}`);
  await signIn(page, admin.username, admin.password);
  await page.getByRole('heading', { level: 2, name: 'Participants' }).waitFor();
  await waitForLive(page);
  await assert.rejects(row(page, ada.id).waitFor({ timeout: 300 }), 'no row before anyone joins');

  // The page re-reads the meeting a little after each pushed event. Those re-reads are held
  // until the row shows: the row must come with the userJoinedMeeting event itself.
  const rereads = [];
  let releaseRereads;
  const rereadsHeld = new Promise((resolve) => { releaseRereads = resolve; });
  const isReread = ({ pathname }) =>
    pathname.startsWith('/api/attendance-tracker/') || pathname.startsWith('/api/user-sessions/meeting/');
  await page.route(isReread, async (route) => {
    rereads.push(new URL(route.request().url()).pathname);
    await rereadsHeld;
    await route.continue();
  });
  const joined = await server.api('POST', '/api/user-sessions/join-meeting', {
    token: ada.token,
    json: { meetingId: MEETING, participantData: { participantName: 'Ada Lovelace', device: 'e2e' } },
  });
  assert.equal(joined.status, 201);
  const started = Date.now();
  const tr = row(page, ada.id);
  try {
    await tr.waitFor({ timeout: 2000 });
  } finally {
    releaseRereads();
    await page.unroute(isReread);
  }
  console.log(`row appeared ${Date.now() - started} ms after join-meeting answered (re-reads held: ${rereads.length})`);
  assert.equal(await cell(tr, 'Name').innerText(), 'Ada Lovelace');
  assert.equal(await cell(tr, 'Username').innerText(), 'ada');
  assert.equal(await cell(tr, 'Email').innerText(), 'ada@example.com');
  assert.equal(await cell(tr, 'Role').innerText(), 'user');
  assert.equal(await cell(tr, 'Student').innerText(), 'Ada Lovelace (4242)');
  assert.equal(await cell(tr, 'Department').innerText(), 'Mathematics');
  assert.match(await cell(tr, 'Signed in').innerText(), /Signed in\s+session active/);
  assert.match(await cell(tr, 'Status').innerText(), /In meeting/);
  assert.equal(await tr.getAttribute('data-active'), 'true');
  // the duration ticks while the session is active
  const firstDuration = await cell(tr, 'Duration').innerText();
  await eventually(async () => (await cell(tr, 'Duration').innerText()) !== firstDuration,
    { timeout: 3000, message: 'the duration ticks' });
  await eventually(async () => (await page.locator('[data-stat="active-sessions"] dd').innerText()) === '1',
    { message: 'statistics count the session' });
  await screenshot(page, 'dashboard-1-user-joined');

  const joinTime = new Date(Date.now() - 1000).toISOString();
  const meetingObject = { id: MEETING, uuid: 'e2e-uuid==', host_id: 'host', topic: 'Analytical Engines', type: 2,
    start_time: new Date(Date.now() - 60000).toISOString(), duration: 60, timezone: 'UTC' };
  assert.equal((await zoomWebhook(server, 'meeting.started', meetingObject)).status, 200);
  const hook = await zoomWebhook(server, 'meeting.participant_joined', {
    ...meetingObject,
    participant: { user_id: '16778240', user_name: 'Ada L. (Zoom)', id: 'zoom-ada', participant_uuid: 'puuid-ada',
      email: 'ada@example.com', join_time: joinTime },
  });
  assert.equal(hook.status, 200);
  const linkedAt = Date.now();
  await eventually(async () => (await cell(row(page, ada.id), 'Linked by').innerText()) === 'email',
    { timeout: 2000, interval: 50, message: 'the row shows the Zoom link' });
  console.log(`link shown ${Date.now() - linkedAt} ms after the webhook answered`);
  const linked = row(page, ada.id);
  assert.equal(await linked.count(), 1, 'the Zoom participant merged into the user row');
  assert.equal(await page.locator('#participants tr[data-key^="z:"]').count(), 0);
  assert.equal(await cell(linked, 'Username').innerText(), 'ada');
  assert.equal(await cell(linked, 'Student').innerText(), 'Ada Lovelace (4242)');
  await eventually(async () => (await page.locator('[data-stat="unlinked"] dd').innerText()) === '0',
    { message: 'no unlinked session left' });
  await eventually(async () => (await page.locator('.timeline-row').count()) === 1 &&
    (await page.locator(`.timeline-row[data-key="u:${ada.id}"] .timeline-bar[data-open]`).count()) === 1,
  { message: 'one timeline track, open, for the merged participant' });
  await screenshot(page, 'dashboard-2-zoom-linked');

  const left = await server.api('POST', '/api/user-sessions/leave-meeting', { token: ada.token, json: { sessionId: joined.body.sessionId } });
  assert.equal(left.status, 200);
  await eventually(async () => (await cell(row(page, ada.id), 'Signed in').innerText()).includes('session ended'),
    { timeout: 2000, interval: 50, message: 'the session shows ended' });
  const zoomLeft = await zoomWebhook(server, 'meeting.participant_left', {
    ...meetingObject,
    participant: { user_id: '16778240', user_name: 'Ada L. (Zoom)', id: 'zoom-ada', participant_uuid: 'puuid-ada',
      email: 'ada@example.com', leave_time: new Date().toISOString() },
  });
  assert.equal(zoomLeft.status, 200);
  await eventually(async () => (await row(page, ada.id).getAttribute('data-active')) === 'false',
    { timeout: 2000, interval: 50, message: 'the row ends' });
  const ended = row(page, ada.id);
  assert.match(await cell(ended, 'Status').innerText(), /Left/);
  const stopped = await cell(ended, 'Duration').innerText();
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(await cell(ended, 'Duration').innerText(), stopped, 'an ended row stops ticking');
  // the timeline has Ada's interval
  const bars = page.locator(`.timeline-row[data-key="u:${ada.id}"] .timeline-bar`);
  assert.ok(await bars.count() >= 1);
  assert.equal(await page.locator(`.timeline-row[data-key="u:${ada.id}"] .timeline-bar[data-open]`).count(), 0);
  await screenshot(page, 'dashboard-3-user-left');
  assert.deepEqual(browser.problems, []);
});

test('filters and search narrow the table', async () => {
  const { page } = browser;
  await page.getByLabel('Search').fill('nobody-matches-this');
  await eventually(async () => (await page.locator('#participants tbody tr[data-key]').count()) === 0, { message: 'search hides the row' });
  await page.getByLabel('Search').fill('lovelace');
  await row(page, ada.id).waitFor();
  await page.getByLabel('Presence').selectOption('active');
  await eventually(async () => (await page.locator('#participants tbody tr[data-key]').count()) === 0, { message: 'only people present' });
  await page.getByLabel('Presence').selectOption('ended');
  await row(page, ada.id).waitFor();
  await page.getByLabel('Presence').selectOption('');
  await page.getByLabel('Search').fill('');
});

test('CSV export downloads the attendance and it parses', async () => {
  const { page } = browser;
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), `attendance-${MEETING}.csv`);
  const rows = parseCsv(readFileSync(await download.path(), 'utf8'));
  assert.deepEqual(rows[0], ['participantName', 'email', 'username', 'role', 'studentId', 'studentName', 'department',
    'attendanceStatus', 'joinTime', 'leaveTime', 'durationMinutes', 'intervals', 'isAuthenticated', 'linkedBy']);
  const records = rows.slice(1).filter((r) => r.length > 1).map((r) => Object.fromEntries(rows[0].map((k, i) => [k, r[i]])));
  const adaRow = records.find((r) => r.username === 'ada');
  assert.ok(adaRow, `a row for ada in ${JSON.stringify(records)}`);
  assert.equal(adaRow.email, 'ada@example.com');
  assert.equal(adaRow.role, 'user');
  assert.equal(adaRow.studentId, '4242');
  assert.equal(adaRow.studentName, 'Ada Lovelace');
  assert.equal(adaRow.department, 'Mathematics');
  assert.equal(adaRow.isAuthenticated, 'true');
  assert.equal(adaRow.linkedBy, 'email');
  assert.match(adaRow.intervals, /^\d{4}-\d\d-\d\dT[^/]+Z\/\d{4}-\d\d-\d\dT[^/]+Z/);
  assert.ok(Number(adaRow.durationMinutes) >= 0);
  await page.locator('#main').getByText('The attendance CSV was downloaded.').waitFor();
  await screenshot(page, 'dashboard-4-csv-exported');
});

test('"End all sessions" ends every active session of the meeting after confirming', async () => {
  const { page } = browser;
  const again = await server.api('POST', '/api/user-sessions/join-meeting', { token: ada.token, json: { meetingId: MEETING } });
  assert.equal(again.status, 201);
  await eventually(async () => (await cell(row(page, ada.id), 'Signed in').innerText()).includes('session active'),
    { timeout: 2000, message: 'the new session shows' });
  await page.getByRole('button', { name: 'End all sessions' }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'End all sessions' }).click();
  await page.locator('#main').getByText('Ended 1 session.').waitFor();
  await eventually(async () => (await cell(row(page, ada.id), 'Signed in').innerText()).includes('session ended'),
    { timeout: 2000, message: 'the session shows ended' });
  const mine = await server.api('GET', '/api/user-sessions/my-sessions', { token: ada.token });
  assert.equal(mine.body.sessions[0].endReason, 'meeting-ended');
  await screenshot(page, 'dashboard-5-sessions-ended');
  assert.deepEqual(browser.problems, []);
});

test('a roster upload lists the expected students who never came as absent', async () => {
  const { page } = browser;
  await page.getByLabel('Student ids').fill('studentId\n4242\n4243\n');
  await page.getByRole('button', { name: 'Save roster' }).click();
  await page.locator('#main').getByText('Roster saved: 2 expected students.').waitFor();
  const absent = page.locator('#participants tr[data-key="r:4243"]');
  await absent.waitFor({ timeout: 3000 });
  assert.equal(await cell(absent, 'Student').innerText(), 'Charles Babbage (4243)');
  assert.match(await cell(absent, 'Status').innerText(), /Never joined\s+absent/);
  await eventually(async () => (await page.locator('[data-stat="absent"] dd').innerText()) === '1', { message: 'one absent' });
  assert.equal(await row(page, ada.id).count(), 1, 'Ada attended, so she is not listed again as absent');
  await page.getByLabel('Attendance', { exact: true }).selectOption('absent');
  await eventually(async () => (await page.locator('#participants tbody tr[data-key]').count()) === 1, { message: 'the filter keeps the absentee' });
  await screenshot(page, 'dashboard-6-roster-absent');
  await page.getByLabel('Attendance', { exact: true }).selectOption('');
  assert.deepEqual(browser.problems, []);
});
