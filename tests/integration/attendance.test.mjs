// CONTRACT section 3 "Zoom and the attendance tracker": linking, statuses, rosters,
// the enriched view, the CSV export and the meetings list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from '../support/server.mjs';
import { deliver, started, ended, joined, left, person } from '../support/zoom.mjs';

const server = new Server({ env: { LATE_AFTER_MINUTES: '5', PRESENT_MIN_PERCENT: '75' } });
let admin;
let seq = 0;
const nextMeeting = () => String(82000000000 + ++seq);
before(async () => {
  await server.start();
  admin = await server.createUser({ username: 'attadmin', role: 'admin' });
});
after(() => server.cleanup());

const get = (meetingId, enriched = true) =>
  server.api('GET', `/api/attendance-tracker/attendance/${meetingId}${enriched ? '?enriched=true' : ''}`, { token: admin.token });
const joinMeeting = (user, meetingId, participantData) =>
  server.api('POST', '/api/user-sessions/join-meeting', { token: user.token, json: { meetingId, participantData } });

async function student(studentId, firstName, lastName, email, department = 'Physics') {
  const r = await server.api('POST', '/api/students', { token: admin.token, json: { studentId, firstName, lastName, department, email } });
  assert.ok(r.status === 201 || r.status === 200, r.text);
}

for (const order of ['session first', 'zoom first']) {
  test(`linking by email, customer key and name (${order})`, async () => {
    const meetingId = nextMeeting();
    const t0 = Date.now() - 60000;
    const tag = order === 'session first' ? 'a' : 'b';
    const byEmail = await server.register(`mail${tag}`, { email: `mail.${tag}@school.example` });
    const byKey = await server.register(`key${tag}`, { email: `key.${tag}@elsewhere.example` });
    const byName = await server.register(`name${tag}`, { email: `name.${tag}@elsewhere.example` });
    const zoomPeople = [
      person({ name: 'Someone Else', email: `MAIL.${tag}@school.example` }),
      person({ name: 'Key Holder', customerKey: byKey.id }),
      person({ name: `  Zoë   Námé${tag.toUpperCase()} ` }),
    ];
    const sessionsJoin = async () => {
      assert.equal((await joinMeeting(byEmail, meetingId)).status, 201);
      assert.equal((await joinMeeting(byKey, meetingId)).status, 201);
      assert.equal((await joinMeeting(byName, meetingId, { participantName: `zoe name${tag}` })).status, 201);
    };
    const zoomJoin = async () => {
      await deliver(server, started(meetingId, t0));
      for (const who of zoomPeople) assert.equal((await deliver(server, joined(meetingId, who, t0 + 1000, { startTime: t0 }))).status, 200);
    };
    if (order === 'session first') { await sessionsJoin(); await zoomJoin(); } else { await zoomJoin(); await sessionsJoin(); }

    const a = await get(meetingId);
    assert.equal(a.status, 200);
    assert.equal(a.body.participants.length, 3, 'linked sessions do not add rows');
    const rowOf = (username) => a.body.participants.find((p) => p.authenticatedUser?.username === username);
    assert.equal(rowOf(`mail${tag}`).linkedBy, 'email');
    assert.equal(rowOf(`key${tag}`).linkedBy, 'customer-key');
    assert.equal(rowOf(`name${tag}`).linkedBy, 'name');
    for (const p of a.body.participants) {
      assert.equal(p.isAuthenticated, true);
      assert.equal(p.source, 'zoom');
      assert.equal(p.authenticatedUser.joinedViaAuth, true);
      assert.equal(p.authenticatedUser.authTokenUsed, true);
      assert.equal(p.userSession.isActive, true);
    }
    assert.deepEqual(a.body.authenticationStats, {
      totalParticipants: 3, authenticatedParticipants: 3, unauthenticatedParticipants: 0, authenticationRate: 1,
      studentsIdentified: 0, activeUserSessions: 3, unlinkedUserSessions: 0,
    });
    const ap = await server.api('GET', `/api/user-sessions/meeting/${meetingId}/authenticated-participants`, { token: admin.token });
    assert.equal(ap.status, 200);
    const mail = ap.body.participants.find((p) => p.user.username === `mail${tag}`);
    assert.equal(mail.linkedBy, 'email');
    assert.deepEqual(Object.keys(mail.zoomParticipant).sort(), ['email', 'isActive', 'participantId', 'participantName', 'zoomUserId']);
    assert.equal(mail.zoomParticipant.isActive, true);
    assert.equal(mail.zoomParticipant.participantName, 'Someone Else');
  });
}

test('an ambiguous candidate set links nobody', async () => {
  const meetingId = nextMeeting();
  const t0 = Date.now() - 60000;
  // Two Zoom participants with the user's email (different accounts) → no email link.
  const u = await server.register('ambiguous', { email: 'twin@school.example' });
  await deliver(server, joined(meetingId, person({ name: 'Twin One', email: 'twin@school.example', accountId: 'acc-1' }), t0));
  await deliver(server, joined(meetingId, person({ name: 'Twin Two', email: 'twin@school.example', accountId: 'acc-2' }), t0));
  assert.equal((await joinMeeting(u, meetingId)).status, 201);
  // From the Zoom side: two users whose sessions carry the same participant name.
  const x = await server.register('samename1');
  const y = await server.register('samename2');
  await joinMeeting(x, meetingId, { participantName: 'Chris Doe' });
  await joinMeeting(y, meetingId, { participantName: 'Chris Doe' });
  await deliver(server, joined(meetingId, person({ name: 'chris doe' }), t0 + 2000));
  const a = await get(meetingId);
  assert.equal(a.body.participants.filter((p) => p.isAuthenticated && p.source === 'zoom').length, 0);
  assert.equal(a.body.authenticationStats.unlinkedUserSessions, 3);
  assert.equal(a.body.participants.filter((p) => p.source === 'user-session').length, 3);
});

test('a link belongs to the user: after a leave and a rejoin it follows the new session', async () => {
  const meetingId = nextMeeting();
  const t0 = Date.now() - 60000;
  const u = await server.register('follower', { email: 'follower@school.example' });
  await deliver(server, joined(meetingId, person({ name: 'F', email: 'follower@school.example' }), t0));
  const first = await joinMeeting(u, meetingId);
  await server.api('POST', '/api/user-sessions/leave-meeting', { token: u.token, json: { sessionId: first.body.sessionId } });
  const second = await joinMeeting(u, meetingId);
  assert.notEqual(second.body.sessionId, first.body.sessionId);
  const a = await get(meetingId);
  const row = a.body.participants.find((p) => p.isAuthenticated);
  assert.equal(row.userSession.sessionId, second.body.sessionId);
  assert.equal(row.linkedBy, 'email');
});

test('statuses at their threshold edges (late after 5 min, partial under 75 %)', async () => {
  const meetingId = nextMeeting();
  const t0 = Date.parse('2026-03-03T09:00:00Z');
  const min = 60000;
  await deliver(server, started(meetingId, t0));
  const stays = {
    onTime: [0, 100],
    exactlyFiveLate: [5, 100],          // 5 min after start is not "more than 5"
    justLate: [5 * 60 + 1, 100 * 60],   // seconds: 5 min 1 s after start
    exactly75: [0, 75],                 // 75 of 100 minutes is enough
    under75: [0, 74],                   // 74 minutes is partial
  };
  for (const [name, [a, b]] of Object.entries(stays)) {
    const scale = name === 'justLate' ? 1000 : min;
    const who = person({ name, email: `${name}@example.com` });
    await deliver(server, joined(meetingId, who, t0 + a * scale, { startTime: t0 }));
    await deliver(server, left(meetingId, who, t0 + b * scale, { startTime: t0 }));
  }
  await deliver(server, ended(meetingId, t0, t0 + 100 * min));
  const a = await get(meetingId, false);
  const status = (name) => a.body.participants.find((p) => p.participantName === name).attendanceStatus;
  assert.equal(status('onTime'), 'present');
  assert.equal(status('exactlyFiveLate'), 'present');
  assert.equal(status('justLate'), 'late');
  assert.equal(status('exactly75'), 'present');
  assert.equal(status('under75'), 'partial');
  assert.deepEqual(a.body.summary, { total: 5, present: 3, late: 1, partial: 1, absent: 0 });
  assert.equal(a.body.authenticationStats, undefined, 'plain view has no enriched fields');
  assert.equal(a.body.participants[0].isAuthenticated, undefined);
});

test('rostered students who never came are absent; students are identified', async () => {
  const meetingId = nextMeeting();
  const t0 = Date.now() - 30 * 60000;
  await student(7001, 'Marie', 'Curie', 'marie@school.example');
  await student(7002, 'Pierre', 'Curie', 'pierre@school.example');
  await student(7003, 'Irène', 'Joliot', 'irene@school.example');
  const bad = await server.api('PUT', `/api/meetings/${meetingId}/roster`, { token: admin.token, json: { studentIds: [7001, 999999] } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.code, 'validation_failed');
  const notInts = await server.api('PUT', `/api/meetings/${meetingId}/roster`, { token: admin.token, json: { studentIds: ['7001'] } });
  assert.equal(notInts.status, 400);
  const roster = await server.api('PUT', `/api/meetings/${meetingId}/roster`, { token: admin.token, json: { studentIds: [7003, 7001, 7002, 7001] } });
  assert.equal(roster.status, 200);
  assert.deepEqual(roster.body, { success: true, meetingId, studentIds: [7001, 7002, 7003] });
  // Marie comes through Zoom (email identifies her), Pierre signs in (email-local-part match).
  await deliver(server, joined(meetingId, person({ name: 'Marie C', email: 'marie@school.example' }), t0));
  const pierre = await server.register('pierre', { email: 'pierre@home.example' });
  await joinMeeting(pierre, meetingId);
  const a = await get(meetingId);
  const absent = a.body.participants.filter((p) => p.attendanceStatus === 'absent');
  assert.equal(absent.length, 1);
  assert.equal(absent[0].source, 'roster');
  assert.equal(absent[0].participantName, 'Irène Joliot');
  assert.equal(absent[0].studentId, 7003);
  assert.deepEqual(absent[0].intervals, []);
  assert.equal(absent[0].duration, 0);
  const marie = a.body.participants.find((p) => p.email === 'marie@school.example');
  assert.equal(marie.isAuthenticated, false);
  assert.deepEqual(marie.studentInfo, { studentId: 7001, firstName: 'Marie', lastName: 'Curie', department: 'Physics', email: 'marie@school.example' });
  const p = a.body.participants.find((r) => r.authenticatedUser?.username === 'pierre');
  assert.equal(p.source, 'user-session');
  assert.equal(p.studentId, 7002);
  assert.equal(a.body.summary.total, 3);
  assert.equal(a.body.summary.absent, 1);
  assert.equal(a.body.authenticationStats.totalParticipants, 2);
  assert.equal(a.body.authenticationStats.authenticatedParticipants, 1);
  assert.equal(a.body.authenticationStats.authenticationRate, 0.5);
  assert.equal(a.body.authenticationStats.studentsIdentified, 2);
});

test('the enriched view has every contract field', async () => {
  const meetingId = nextMeeting();
  const t0 = Date.now() - 5 * 60000;
  const u = await server.register('enrich', { email: 'enrich@school.example' });
  await student(7101, 'En', 'Rich', 'enrich@school.example', 'Chemistry');
  await deliver(server, joined(meetingId, person({ name: 'En Rich', email: 'enrich@school.example', accountId: 'acct-enrich' }), t0));
  await joinMeeting(u, meetingId, { device: 'Desktop' });
  const a = await get(meetingId);
  assert.deepEqual(Object.keys(a.body).sort(), ['authenticationStats', 'meeting', 'meetingId', 'participants', 'success', 'summary']);
  assert.deepEqual(Object.keys(a.body.meeting).sort(), ['endTime', 'meetingId', 'occurrenceId', 'startTime', 'status', 'topic', 'uuid']);
  const p = a.body.participants[0];
  assert.deepEqual(Object.keys(p).sort(), [
    'attendanceStatus', 'authenticatedUser', 'duration', 'email', 'intervals', 'isActive', 'isAuthenticated', 'joinTime',
    'leaveTime', 'linkedBy', 'meetingId', 'participantId', 'participantName', 'source', 'studentId', 'studentInfo',
    'userId', 'userSession', 'zoomUserId',
  ]);
  assert.equal(p.userId, u.id);
  assert.deepEqual(p.authenticatedUser, { username: 'enrich', email: 'enrich@school.example', role: 'user', joinedViaAuth: true, authTokenUsed: true });
  assert.equal(p.studentInfo.department, 'Chemistry');
  assert.equal(p.userSession.device, 'Desktop');
  assert.equal(p.zoomUserId, 'acct-enrich');
});

/// RFC 4180 parsing for the test (quoted fields, doubled quotes, CRLF).
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

test('the CSV export parsed back equals the JSON rows', async () => {
  const meetingId = nextMeeting();
  const t0 = Date.parse('2026-03-04T09:00:00Z');
  await deliver(server, started(meetingId, t0));
  const tricky = person({ name: 'O"Neil, "Bob"\nJr', email: 'oneil@example.com' });
  await deliver(server, joined(meetingId, tricky, t0, { startTime: t0 }));
  await deliver(server, left(meetingId, tricky, t0 + 10 * 60000, { startTime: t0 }));
  await deliver(server, joined(meetingId, person({ name: 'Plain', email: 'plain@example.com' }), t0 + 60000, { startTime: t0 }));
  const u = await server.register('csvuser');
  await joinMeeting(u, meetingId);
  const r = await server.api('GET', `/api/attendance-tracker/attendance/${meetingId}/export.csv`, { token: admin.token });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'text/csv; charset=utf-8');
  const rows = parseCsv(r.text);
  assert.deepEqual(rows[0], ['participantName', 'email', 'username', 'role', 'studentId', 'studentName', 'department',
    'attendanceStatus', 'joinTime', 'leaveTime', 'durationMinutes', 'intervals', 'isAuthenticated', 'linkedBy']);
  const json = (await get(meetingId)).body.participants;
  assert.equal(rows.length - 1, json.length);
  json.forEach((p, i) => {
    const c = rows[i + 1];
    assert.equal(c[0], p.participantName ?? '');
    assert.equal(c[1], p.email ?? '');
    assert.equal(c[2], p.authenticatedUser?.username ?? '');
    assert.equal(c[7], p.attendanceStatus);
    assert.equal(c[8], p.joinTime ?? '');
    assert.equal(c[9], p.leaveTime ?? '');
    assert.equal(c[11], p.intervals.map((x) => `${x.joinTime}/${x.leaveTime ?? ''}`).join(';'));
    assert.equal(c[12], String(p.isAuthenticated));
    assert.equal(c[13], p.linkedBy ?? '');
    if (p.leaveTime) assert.equal(Number(c[10]), p.duration);
  });
  assert.ok(json.some((p) => p.participantName === 'O"Neil, "Bob"\nJr'));
});

test('GET /api/meetings lists meetings newest first with their counts', async () => {
  const meetingId = nextMeeting();
  const t0 = Date.now() - 60000;
  await deliver(server, started(meetingId, t0));
  await deliver(server, joined(meetingId, person({ name: 'Z1', email: 'z1@example.com' }), t0, { startTime: t0 }));
  const z2 = person({ name: 'Z2', email: 'z2@example.com' });
  await deliver(server, joined(meetingId, z2, t0, { startTime: t0 }));
  await deliver(server, left(meetingId, z2, t0 + 1000, { startTime: t0 }));
  const u = await server.register('lister');
  await joinMeeting(u, meetingId);
  const r = await server.api('GET', '/api/meetings', { token: admin.token });
  assert.equal(r.status, 200);
  const m = r.body.meetings[0];
  assert.equal(m.meetingId, meetingId, 'the newest meeting comes first');
  assert.equal(m.status, 'live');
  assert.equal(m.participantCount, 3);
  assert.equal(m.activeParticipantCount, 2);
  assert.equal(m.activeSessionCount, 1);
  const user = await server.register('notadmin');
  assert.equal((await server.api('GET', '/api/meetings', { token: user.token })).status, 403);
});

test('a meeting with 5,000 participants answers the enriched query correctly', async () => {
  const meetingId = nextMeeting();
  const t0 = Date.now() - 3600000;
  await deliver(server, started(meetingId, t0));
  const total = 5000;
  const batch = 50;
  for (let i = 0; i < total; i += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, total - i) }, (_, k) => {
      const n = i + k;
      const who = person({ name: `Student ${n}`, email: `s${n}@big.example` });
      return deliver(server, joined(meetingId, who, t0 + (n % 600) * 1000, { startTime: t0 })).then((r) => assert.equal(r.status, 200));
    }));
  }
  const started_ = Date.now();
  const a = await get(meetingId);
  const elapsed = Date.now() - started_;
  assert.equal(a.status, 200);
  assert.equal(a.body.participants.length, total);
  assert.equal(a.body.authenticationStats.totalParticipants, total);
  assert.equal(a.body.summary.total, total);
  assert.equal(new Set(a.body.participants.map((p) => p.participantId)).size, total);
  assert.ok(a.body.participants.every((p) => p.isActive && p.attendanceStatus !== 'absent'));
  const sorted = a.body.participants.map((p) => p.joinTime);
  assert.deepEqual(sorted, [...sorted].sort());
  console.log(`enriched query for ${total} participants: ${elapsed} ms (${a.text.length} bytes)`);
});

test('repeated reads see every change at once (heartbeats, role changes, new participants)', async () => {
  const meetingId = nextMeeting();
  const t0 = Date.now() - 60000;
  const u = await server.register('fresh', { email: 'fresh@school.example' });
  await deliver(server, joined(meetingId, person({ name: 'Fresh', email: 'fresh@school.example' }), t0));
  const j = await joinMeeting(u, meetingId);
  const first = await get(meetingId);
  await get(meetingId);
  const before = first.body.participants[0].userSession.lastActivity;
  await new Promise((r) => setTimeout(r, 20));
  const beat = await server.api('POST', '/api/user-sessions/activity', { token: u.token, json: { sessionId: j.body.sessionId } });
  assert.equal(beat.status, 200);
  let a = await get(meetingId);
  assert.equal(a.body.participants[0].userSession.lastActivity, beat.body.lastActivity);
  assert.notEqual(a.body.participants[0].userSession.lastActivity, before);
  await server.api('PATCH', `/api/users/${u.id}`, { token: admin.token, json: { role: 'admin' } });
  a = await get(meetingId);
  assert.equal(a.body.participants[0].authenticatedUser.role, 'admin');
  await deliver(server, joined(meetingId, person({ name: 'Later', email: 'later@example.com' }), t0 + 1000));
  a = await get(meetingId);
  assert.equal(a.body.participants.length, 2);
});
