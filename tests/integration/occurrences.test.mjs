// Issue 18: a meeting id is a series and each Zoom occurrence (its uuid) its own attendance,
// over HTTP with signed webhooks: the recurring-class scenario, late and uuid-less
// deliveries, early joiners, matching after a late roster import, the occurrence API and the
// course view.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from '../support/server.mjs';
import { deliver, started, ended, joined, left, person } from '../support/zoom.mjs';

const server = new Server({ env: { LATE_AFTER_MINUTES: '5', PRESENT_MIN_PERCENT: '75', EARLY_JOIN_MINUTES: '5' } });
let admin;
before(async () => {
  await server.start();
  admin = await server.createUser({ username: 'teacher', role: 'admin' });
});
after(() => server.cleanup());

const min = 60000;
const get = (url) => server.api('GET', url, { token: admin.token });
const attendance = (meetingId, query = '') => get(`/api/attendance-tracker/attendance/${meetingId}${query}`);
const occurrences = (meetingId) => get(`/api/meetings/${meetingId}/occurrences`);
const joinMeeting = (user, meetingId, participantData) =>
  server.api('POST', '/api/user-sessions/join-meeting', { token: user.token, json: { meetingId, participantData } });

/// A delivery about the occurrence `uuid` (undefined: a delivery without one).
function about(uuid, body) {
  if (uuid === undefined) delete body.payload.object.uuid;
  else body.payload.object.uuid = uuid;
  return body;
}

async function send(body) {
  const r = await deliver(server, body);
  assert.equal(r.status, 200, r.text);
  return r.body;
}

async function student(studentId, firstName, lastName, email) {
  const r = await server.api('POST', '/api/students', { token: admin.token, json: { studentId, firstName, lastName, department: 'Physics', email } });
  assert.ok(r.status === 201 || r.status === 200, r.text);
}

/// RFC 4180 for the test (quoted fields, doubled quotes, CRLF).
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; } else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

test('a recurring class: every occurrence is its own attendance, and the course view spans them', async () => {
  const meetingId = '85012345678';
  const nov27 = Date.parse('2026-11-27T09:00:00Z');
  const dec4 = Date.parse('2026-12-04T09:00:00Z');
  const A = 'nov27+/Ab==';
  const B = 'dec04Bq==';
  const alice = person({ name: 'Alice Archer', email: 'alice@school.example' });
  const bob = person({ name: 'Bob Baker', email: 'bob@school.example' });

  await send(about(A, started(meetingId, nov27)));
  await send(about(A, joined(meetingId, alice, nov27 + 1 * min, { startTime: nov27 })));
  await send(about(A, ended(meetingId, nov27, nov27 + 60 * min)));
  await send(about(B, started(meetingId, dec4)));
  // Zoom's retry of Alice's leave on Nov 27 arrives only now, after Dec 4 started.
  await send(about(A, left(meetingId, alice, nov27 + 59 * min, { startTime: nov27 })));
  await send(about(B, joined(meetingId, bob, dec4 + 2 * min, { startTime: dec4 })));
  await send(about(B, left(meetingId, bob, dec4 + 58 * min, { startTime: dec4 })));
  await send(about(B, ended(meetingId, dec4, dec4 + 60 * min)));

  const list = await occurrences(meetingId);
  assert.equal(list.status, 200);
  assert.equal(list.body.meetingId, meetingId);
  assert.equal(list.body.occurrences.length, 2);
  const [dec, nov] = list.body.occurrences;
  assert.deepEqual(Object.keys(dec).sort(), ['endTime', 'occurrenceId', 'participantCount', 'startTime', 'status', 'uuid']);
  assert.deepEqual({ ...dec, occurrenceId: undefined }, {
    occurrenceId: undefined, uuid: B, startTime: '2026-12-04T09:00:00.000Z', endTime: '2026-12-04T10:00:00.000Z', status: 'ended', participantCount: 1,
  });
  assert.deepEqual({ ...nov, occurrenceId: undefined }, {
    occurrenceId: undefined, uuid: A, startTime: '2026-11-27T09:00:00.000Z', endTime: '2026-11-27T10:00:00.000Z', status: 'ended', participantCount: 1,
  });
  assert.match(dec.occurrenceId, /^[1-9][0-9]*$/);
  assert.notEqual(dec.occurrenceId, nov.occurrenceId);

  // The latest occurrence by default: Dec 4, Bob only.
  const latest = await attendance(meetingId);
  assert.equal(latest.status, 200);
  assert.deepEqual(latest.body.meeting, {
    meetingId, topic: `Meeting ${meetingId}`, startTime: '2026-12-04T09:00:00.000Z', endTime: '2026-12-04T10:00:00.000Z',
    status: 'ended', occurrenceId: dec.occurrenceId, uuid: B,
  });
  assert.deepEqual(latest.body.participants.map((p) => [p.participantName, p.duration, p.attendanceStatus]), [['Bob Baker', 56, 'present']]);

  // Nov 27 still answers, by headcount's id or by Zoom's uuid (percent-encoded), late leave included.
  for (const name of [nov.occurrenceId, encodeURIComponent(A), encodeURIComponent(encodeURIComponent(A))]) {
    const r = await attendance(meetingId, `?enriched=true&occurrence=${name}`);
    assert.equal(r.status, 200, name);
    assert.equal(r.body.meeting.occurrenceId, nov.occurrenceId);
    assert.deepEqual(r.body.participants.map((p) => [p.participantName, p.duration, p.attendanceStatus]), [['Alice Archer', 58, 'present']]);
    assert.deepEqual(r.body.participants[0].intervals, [{ joinTime: '2026-11-27T09:01:00.000Z', leaveTime: '2026-11-27T09:59:00.000Z' }]);
  }
  const csv = await get(`/api/attendance-tracker/attendance/${meetingId}/export.csv?occurrence=${encodeURIComponent(A)}`);
  assert.equal(csv.status, 200);
  assert.deepEqual(parseCsv(csv.text).slice(1).map((r) => [r[0], r[10]]), [['Alice Archer', '58']]);
  const missing = await attendance(meetingId, '?occurrence=not-an-occurrence');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.code, 'not_found');
  const empty = await attendance(meetingId, '?occurrence=');
  assert.equal(empty.status, 400);
  assert.equal(empty.body.code, 'validation_failed');
  assert.equal((await attendance('85099999999', `?occurrence=${nov.occurrenceId}`)).status, 404);

  // Rostered, Alice is absent on Dec 4.
  await student(18001, 'Alice', 'Archer', 'alice@school.example');
  await student(18002, 'Bob', 'Baker', 'bob@school.example');
  assert.equal((await server.api('PUT', `/api/meetings/${meetingId}/roster`, { token: admin.token, json: { studentIds: [18001] } })).status, 200);
  const rostered = await attendance(meetingId, '?enriched=true');
  assert.deepEqual(rostered.body.participants.map((p) => [p.participantName, p.attendanceStatus, p.source]),
    [['Bob Baker', 'present', 'zoom'], ['Alice Archer', 'absent', 'roster']]);

  // GET /api/meetings: one series with its latest occurrence.
  const meetings = (await get('/api/meetings')).body.meetings.filter((m) => m.meetingId === meetingId);
  assert.equal(meetings.length, 1);
  assert.equal(meetings[0].occurrenceCount, 2);
  assert.equal(meetings[0].startTime, '2026-12-04T09:00:00.000Z');
  assert.equal(meetings[0].participantCount, 1);
  assert.deepEqual(meetings[0].latestOccurrence, dec);

  // The course view: Alice 1 of 2, Bob 1 of 2.
  const series = await get(`/api/meetings/${meetingId}/series`);
  assert.equal(series.status, 200);
  assert.deepEqual(series.body.occurrences.map((o) => [o.occurrenceId, o.uuid, o.scheduledMinutes]),
    [[nov.occurrenceId, A, 60], [dec.occurrenceId, B, 60]]);
  assert.deepEqual(series.body.occurrences.map((o) => o.totals), [
    { present: 1, late: 0, partial: 0, absent: 1, attended: 1 },
    { present: 1, late: 0, partial: 0, absent: 1, attended: 1 },
  ]);
  const people = Object.fromEntries(series.body.people.map((p) => [p.name, p]));
  assert.deepEqual(Object.keys(people).sort(), ['Alice Archer', 'Bob Baker']);
  assert.deepEqual([people['Alice Archer'].attended, people['Alice Archer'].occurrenceCount], [1, 2]);
  assert.deepEqual([people['Bob Baker'].attended, people['Bob Baker'].occurrenceCount], [1, 2]);
  assert.deepEqual(people['Alice Archer'].cells, [
    { occurrenceId: nov.occurrenceId, status: 'present', minutes: 58 },
    { occurrenceId: dec.occurrenceId, status: 'absent', minutes: 0 },
  ]);
  assert.equal(people['Alice Archer'].studentId, 18001);
  assert.equal(people['Alice Archer'].minutes, 58);
  assert.equal(people['Alice Archer'].attendancePercent, 48.3);
  assert.equal(people['Bob Baker'].attendancePercent, 46.7);
  assert.equal(series.body.scheduledMinutes, 120);

  const december = await get(`/api/meetings/${meetingId}/series?from=2026-12-01`);
  assert.deepEqual(december.body.occurrences.map((o) => o.uuid), [B]);
  assert.deepEqual(december.body.people.map((p) => [p.name, p.attended, p.occurrenceCount]), [['Alice Archer', 0, 1], ['Bob Baker', 1, 1]]);
  const november = await get(`/api/meetings/${meetingId}/series?from=2026-11-01T00:00:00Z&to=2026-11-27`);
  assert.deepEqual(november.body.occurrences.map((o) => o.uuid), [A]);
  const bad = await get(`/api/meetings/${meetingId}/series?from=yesterday&to=2026-01-01`);
  assert.equal(bad.status, 400);
  assert.deepEqual(Object.keys(bad.body.fields), ['from']);
  const reversed = await get(`/api/meetings/${meetingId}/series?from=2026-12-02&to=2026-12-01`);
  assert.equal(reversed.status, 400);
  assert.equal((await get('/api/meetings/85099999999/series')).status, 404);

  const matrix = await get(`/api/meetings/${meetingId}/series/export.csv`);
  assert.equal(matrix.status, 200);
  assert.equal(matrix.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.ok(matrix.text.endsWith('\r\n'));
  assert.deepEqual(parseCsv(matrix.text), [
    ['name', 'email', 'studentId', 'username', '2026-11-27T09:00:00.000Z', '2026-12-04T09:00:00.000Z', 'attended', 'occurrences', 'minutes', 'attendancePercent'],
    ['Alice Archer', 'alice@school.example', '18001', '', 'present (58 min)', 'absent (0 min)', '1', '2', '58', '48.3'],
    ['Bob Baker', 'bob@school.example', '18002', '', 'absent (0 min)', 'present (56 min)', '1', '2', '56', '46.7'],
  ]);
  const user = await server.register('curious');
  assert.equal((await server.api('GET', `/api/meetings/${meetingId}/series`, { token: user.token })).status, 403);
  assert.equal((await server.api('GET', `/api/meetings/${meetingId}/occurrences`, { token: user.token })).status, 403);
});

test('webhooks without a uuid land in the occurrence live at their time', async () => {
  const meetingId = '85012345001';
  const t0 = Date.parse('2026-11-02T14:00:00Z');
  const ann = person({ name: 'Ann', email: 'ann@example.com' });
  const ben = person({ name: 'Ben', email: 'ben@example.com' });
  await send(about('first==', started(meetingId, t0)));
  await send(about(undefined, joined(meetingId, ann, t0 + 5 * min, { startTime: t0 })));
  await send(about('first==', ended(meetingId, t0, t0 + 60 * min)));
  // A late leave without a uuid, inside the ended occurrence's span.
  await send(about(undefined, left(meetingId, ann, t0 + 50 * min, { startTime: t0 })));
  // Two days later: nothing is live, so a join without a uuid opens an occurrence...
  const t1 = t0 + 2 * 24 * 60 * min;
  await send(about(undefined, joined(meetingId, ben, t1 + 1 * min, { startTime: t1 })));
  // ...which Zoom's start with the uuid names, rather than opening another.
  await send(about('second==', started(meetingId, t1)));

  const list = (await occurrences(meetingId)).body.occurrences;
  assert.deepEqual(list.map((o) => [o.uuid, o.status, o.participantCount]), [['second==', 'live', 1], ['first==', 'ended', 1]]);
  const first = await attendance(meetingId, `?occurrence=${list[1].occurrenceId}`);
  assert.deepEqual(first.body.participants.map((p) => [p.participantName, p.duration]), [['Ann', 45]]);
  const second = await attendance(meetingId);
  assert.deepEqual(second.body.participants.map((p) => [p.participantName, p.isActive]), [['Ben', true]]);
});

test('a student who opens the meeting page shortly before the start joins the occurrence that starts', async () => {
  const early = await server.register('early');
  const tooEarly = await server.register('tooearly');
  // EARLY_JOIN_MINUTES=5: the host starts 4 minutes after one join, 10 after the other.
  const soon = '85012345002';
  const joinedSoon = await joinMeeting(early, soon, { participantName: 'Early Bird' });
  assert.equal(joinedSoon.status, 201);
  const joinTime = Date.parse(joinedSoon.body.userData.joinTime);
  const waiting = (await occurrences(soon)).body.occurrences;
  assert.deepEqual(waiting.map((o) => [o.uuid, o.status, o.participantCount]), [[null, 'scheduled', 1]]);
  await send(about('soon==', started(soon, joinTime + 4 * min)));
  const list = (await occurrences(soon)).body.occurrences;
  assert.deepEqual(list.map((o) => [o.uuid, o.status, o.participantCount]), [['soon==', 'live', 1]],
    'the waiting occurrence, left empty, is gone');
  const report = await attendance(soon, '?enriched=true');
  assert.deepEqual(report.body.participants.map((p) => p.authenticatedUser?.username), ['early']);
  const mine = await server.api('GET', '/api/user-sessions/my-sessions', { token: early.token });
  assert.equal(mine.body.sessions[0].occurrenceId, list[0].occurrenceId);
  // Later joins go to the live occurrence.
  const late = await server.register('latecomer');
  await joinMeeting(late, soon);
  assert.equal((await occurrences(soon)).body.occurrences[0].participantCount, 2);

  const later = '85012345003';
  const joinedEarly = await joinMeeting(tooEarly, later);
  await send(about('later==', started(later, Date.parse(joinedEarly.body.userData.joinTime) + 10 * min)));
  const both = (await occurrences(later)).body.occurrences;
  assert.deepEqual(both.map((o) => [o.uuid, o.status, o.participantCount]), [['later==', 'live', 0], [null, 'scheduled', 1]],
    'ten minutes early is outside the window');
});

test('students imported after the class started show who came as present', async () => {
  const meetingId = '85012345004';
  const t0 = Date.now() - 20 * min;
  await send(about('import==', started(meetingId, t0)));
  const dana = await server.register('dana', { email: 'dana.d@home.example' });
  const eli = await server.register('eli', { email: 'eli@home.example' });
  assert.equal((await joinMeeting(dana, meetingId)).status, 201);
  assert.equal((await joinMeeting(eli, meetingId, { participantName: 'Eli Ezra' })).status, 201);
  await send(about('import==', joined(meetingId, person({ name: 'Fay Fox', email: 'fay@school.example' }), t0 + min, { startTime: t0 })));
  const beforeImport = await attendance(meetingId, '?enriched=true');
  assert.equal(beforeImport.body.authenticationStats.studentsIdentified, 0);

  const imported = await server.api('POST', '/api/students/import', {
    token: admin.token,
    headers: { 'content-type': 'text/csv' },
    body: 'studentId,firstName,lastName,department,email\r\n4101,Dana,Doe,Art,dana.d@school.edu\r\n4102,Eli,Ezra,Art,ezra@school.edu\r\n4103,Fay,Fox,Art,fay@school.example\r\n4104,Gil,Gray,Art,gil@school.edu\r\n',
  });
  assert.equal(imported.status, 200, imported.text);
  assert.equal(imported.body.imported, 4);
  await server.api('PUT', `/api/meetings/${meetingId}/roster`, { token: admin.token, json: { studentIds: [4101, 4102, 4103, 4104] } });

  const r = await attendance(meetingId, '?enriched=true');
  const byStudent = Object.fromEntries(r.body.participants.map((p) => [p.studentId, p]));
  assert.equal(byStudent[4101].authenticatedUser.username, 'dana', 'email local part');
  assert.equal(byStudent[4102].authenticatedUser.username, 'eli', 'the name given at join');
  assert.equal(byStudent[4103].source, 'zoom', 'the Zoom participant\'s email');
  for (const id of [4101, 4102, 4103]) assert.notEqual(byStudent[id].attendanceStatus, 'absent', String(id));
  assert.equal(byStudent[4104].attendanceStatus, 'absent');
  assert.equal(byStudent[4104].source, 'roster');
  // Fay came a minute after the start; Dana and Eli signed in twenty minutes late.
  assert.deepEqual(r.body.summary, { total: 4, present: 1, late: 0, partial: 2, absent: 1 });
  assert.equal(r.body.authenticationStats.studentsIdentified, 3);
});

test('the seed page\'s placeholder name and an empty name stand for the username', async () => {
  const u = await server.register('placeholder');
  const v = await server.register('blankname');
  const a = await joinMeeting(u, '85012345005', { participantName: 'Auto-detected from token', device: 'Web Browser' });
  const b = await joinMeeting(v, '85012345005', { participantName: '   ' });
  assert.equal(a.status, 201);
  assert.equal(b.status, 201);
  const sessions = (await server.api('GET', '/api/user-sessions/meeting/85012345005/authenticated-participants', { token: admin.token })).body.participants;
  assert.deepEqual(sessions.map((s) => s.participantName).sort(), ['blankname', 'placeholder']);
  const report = await attendance('85012345005');
  assert.deepEqual(report.body.participants.map((p) => p.participantName).sort(), ['blankname', 'placeholder']);
});

test('a meeting known only from its roster has no occurrence yet and answers as before', async () => {
  const meetingId = '85012345006';
  await student(4201, 'Hana', 'Hill', 'hana@school.example');
  assert.equal((await server.api('PUT', `/api/meetings/${meetingId}/roster`, { token: admin.token, json: { studentIds: [4201] } })).status, 200);
  const listed = (await get('/api/meetings')).body.meetings.find((m) => m.meetingId === meetingId);
  assert.deepEqual(listed, {
    meetingId, topic: null, startTime: null, endTime: null, status: 'scheduled', participantCount: 0,
    activeParticipantCount: 0, activeSessionCount: 0, occurrenceCount: 0, latestOccurrence: null,
  });
  assert.deepEqual((await occurrences(meetingId)).body, { success: true, meetingId, occurrences: [] });
  const r = await attendance(meetingId);
  assert.equal(r.status, 200);
  assert.equal(r.body.meeting.occurrenceId, null);
  assert.equal(r.body.meeting.status, 'scheduled');
  assert.deepEqual(r.body.participants.map((p) => [p.participantName, p.attendanceStatus, p.source]), [['Hana Hill', 'absent', 'roster']]);
  const series = (await get(`/api/meetings/${meetingId}/series`)).body;
  assert.deepEqual(series.occurrences, []);
  assert.deepEqual(series.people.map((p) => [p.personId, p.name, p.attended, p.occurrenceCount, p.attendancePercent]),
    [['student:4201', 'Hana Hill', 0, 0, 0]], 'rostered students are in the course before its first class');
  const unknown = await occurrences('85099999998');
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.code, 'not_found');
});
