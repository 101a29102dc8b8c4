// Issue 18, dashboard: a recurring meeting opens on its latest occurrence with a selector of
// earlier ones; an earlier one shows its own attendance and is not touched by the live
// class's events; "Latest" follows the live class as it happens; the "Course" tab shows
// everyone across the occurrences in colour, sorts by attendance and downloads the CSV.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Server } from '../support/server.mjs';
import { deliver, started, ended, joined, left, person } from '../support/zoom.mjs';
import { eventually, openBrowser, parseCsv, screenshot, signIn, waitForLive } from './support/browser.mjs';

const MEETING = '85012345678';
const min = 60000;
const server = new Server();
let admin;
let browser;

function about(uuid, body) {
  body.payload.object.uuid = uuid;
  return body;
}
async function send(body) {
  const r = await deliver(server, body);
  assert.equal(r.status, 200, r.text);
}

const alice = person({ name: 'Alice Archer', email: 'alice@school.example' });
const bob = person({ name: 'Bob Baker', email: 'bob@school.example' });

before(async () => {
  await server.start();
  admin = await server.createUser({ username: 'teacher', role: 'admin' });
  for (const [studentId, firstName, lastName, email] of [[1001, 'Alice', 'Archer', 'alice@school.example'], [1002, 'Bob', 'Baker', 'bob@school.example']]) {
    const r = await server.api('POST', '/api/students', { token: admin.token, json: { studentId, firstName, lastName, department: 'Physics', email } });
    assert.equal(r.status, 201);
  }
  assert.equal((await server.api('PUT', `/api/meetings/${MEETING}/roster`, { token: admin.token, json: { studentIds: [1001, 1002] } })).status, 200);
  const nov27 = Date.parse('2026-11-27T09:00:00Z');
  const dec4 = Date.parse('2026-12-04T09:00:00Z');
  await send(about('nov27==', started(MEETING, nov27)));
  await send(about('nov27==', joined(MEETING, alice, nov27 + min, { startTime: nov27 })));
  await send(about('nov27==', left(MEETING, alice, nov27 + 59 * min, { startTime: nov27 })));
  await send(about('nov27==', ended(MEETING, nov27, nov27 + 60 * min)));
  await send(about('dec04==', started(MEETING, dec4)));
  await send(about('dec04==', joined(MEETING, bob, dec4 + 2 * min, { startTime: dec4 })));
  await send(about('dec04==', left(MEETING, bob, dec4 + 58 * min, { startTime: dec4 })));
  await send(about('dec04==', ended(MEETING, dec4, dec4 + 60 * min)));
  browser = await openBrowser();
});
after(async () => {
  await browser?.close();
  await server.cleanup();
});

const rows = (page) => page.locator('#participants tbody tr[data-key]');
const keys = async (page) => (await rows(page).evaluateAll((trs) => trs.map((tr) => tr.dataset.key))).sort();
const occurrenceSelect = (page) => page.getByLabel('Occurrence');

test('the meeting opens on its latest occurrence; an earlier one shows its own attendance', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/admin/meetings/${MEETING}`);
  await signIn(page, admin.username, admin.password);
  await page.getByRole('heading', { level: 2, name: 'Participants' }).waitFor();
  await waitForLive(page);
  await eventually(async () => JSON.stringify(await keys(page)) === JSON.stringify(['r:1001', 'z:bob@school.example']),
    { message: 'Dec 4: Bob, and Alice absent' });
  assert.match(await page.locator('#participants tr[data-key="r:1001"]').innerText(), /absent/);
  const options = await occurrenceSelect(page).locator('option').allInnerTexts();
  assert.equal(options.length, 3);
  assert.equal(options[0], 'Latest');
  assert.match(options[1], /ended · 1 participant$/);
  await screenshot(page, 'occurrences-1-latest');

  const nov27 = await occurrenceSelect(page).locator('option').nth(2).getAttribute('value');
  await occurrenceSelect(page).selectOption(nov27);
  await eventually(async () => JSON.stringify(await keys(page)) === JSON.stringify(['r:1002', 'z:alice@school.example']),
    { message: 'Nov 27: Alice, and Bob absent' });
  const aliceRow = page.locator('#participants tr[data-key="z:alice@school.example"]');
  assert.equal(await aliceRow.locator('td[data-label="Duration"]').innerText(), '58:00');
  assert.match(await page.locator('.subtitle [data-meeting-status]').innerText(), /ended/);
  await screenshot(page, 'occurrences-2-earlier');

  // The next class starts while the earlier one is on screen: it is not touched.
  const now = Date.now();
  await send(about('today==', started(MEETING, now - 5 * min)));
  await send(about('today==', joined(MEETING, person({ name: 'Cleo', email: 'cleo@example.com' }), now - 4 * min, { startTime: now - 5 * min })));
  await eventually(async () => (await occurrenceSelect(page).locator('option').count()) === 4,
    { message: 'the selector lists the new occurrence' });
  assert.deepEqual(await keys(page), ['r:1002', 'z:alice@school.example'], 'the earlier occurrence is unchanged');
  assert.equal(await occurrenceSelect(page).inputValue(), nov27);
  assert.deepEqual(browser.problems, []);
});

test('"Latest" follows the live class as it happens', async () => {
  const { page } = browser;
  await occurrenceSelect(page).selectOption('');
  await eventually(async () => (await keys(page)).includes('z:cleo@example.com'), { message: 'the live class shows' });
  assert.match(await page.locator('.subtitle [data-meeting-status]').innerText(), /live/);
  const dan = person({ name: 'Dan', email: 'dan@example.com' });
  const start = Date.now() - 5 * min;
  await send(about('today==', joined(MEETING, dan, Date.now() - 1000, { startTime: start })));
  const sent = Date.now();
  await page.locator('#participants tr[data-key="z:dan@example.com"]').waitFor({ timeout: 2000 });
  console.log(`live row shown ${Date.now() - sent} ms after the webhook answered`);
  await screenshot(page, 'occurrences-3-live');
  assert.deepEqual(browser.problems, []);
});

test('the Course tab shows everyone across the occurrences, sorts by attendance and downloads the CSV', async () => {
  const { page } = browser;
  await page.getByRole('tab', { name: 'Course' }).click();
  const table = page.locator('#course');
  await table.waitFor();
  assert.equal(await page.getByRole('tab', { name: 'Course' }).getAttribute('aria-selected'), 'true');
  assert.ok(await page.getByRole('heading', { level: 2, name: 'Participants' }).isHidden(), 'the attendance view is hidden');
  assert.equal(await table.locator('thead .course-occurrence').count(), 3);
  const alice = table.locator('tr[data-person="student:1001"]');
  assert.deepEqual(await alice.locator('td.course-cell').evaluateAll((tds) => tds.map((td) => td.dataset.status)),
    ['present', 'absent', 'absent']);
  assert.deepEqual(await alice.locator('td.course-cell').evaluateAll((tds) => tds.map((td) => td.className)),
    ['course-cell course-present', 'course-cell course-absent', 'course-cell course-absent']);
  assert.equal(await alice.locator('td[data-label="attended"]').innerText(), '1 of 3');
  // Everyone attended one of the three; by attendance, the share of the scheduled time then
  // orders them (Alice 58 min, Bob 56, Cleo and Dan minutes into the live class). The default
  // is most first; the header toggles it.
  const people = () => table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.person));
  const mostFirst = ['student:1001', 'student:1002', 'zoom:cleo@example.com', 'zoom:dan@example.com'];
  assert.deepEqual(await people(), mostFirst);
  assert.equal(await table.locator('th[aria-sort="descending"] [data-sort="attended"]').count(), 1);
  await table.getByRole('button', { name: /Attended/ }).click();
  assert.equal(await table.locator('th[aria-sort="ascending"] [data-sort="attended"]').count(), 1);
  assert.deepEqual(await people(), [...mostFirst].reverse(), 'least attended first');
  await table.getByRole('button', { name: /Name/ }).click();
  assert.deepEqual(await people(), ['student:1001', 'student:1002', 'zoom:cleo@example.com', 'zoom:dan@example.com']);
  await screenshot(page, 'occurrences-4-course');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), `course-${MEETING}.csv`);
  const csv = parseCsv(readFileSync(await download.path(), 'utf8'));
  assert.deepEqual(csv[0].slice(0, 4), ['name', 'email', 'studentId', 'username']);
  assert.equal(csv[0].length, 4 + 3 + 4);
  const aliceLine = csv.find((r) => r[0] === 'Alice Archer');
  assert.deepEqual(aliceLine.slice(4, 7), ['present (58 min)', 'absent (0 min)', 'absent (0 min)']);
  await page.locator('#main').getByText('The course CSV was downloaded.').waitFor();
  assert.deepEqual(browser.problems, []);
});
