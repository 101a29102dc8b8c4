// CONTRACT section 3 "User sessions": join (idempotent, also under concurrency), leave,
// heartbeat, my-sessions, the admin's participant list, ending a meeting, stats, and a
// restart in the middle.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, sleep } from '../support/server.mjs';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
// occurrenceId: the occurrence of the meeting the session belongs to (docs/attendance.md).
const SESSION_KEYS = ['device', 'duration', 'endReason', 'isActive', 'joinTime', 'lastActivity', 'leaveTime',
  'meetingId', 'occurrenceId', 'participantName', 'sessionId', 'userId'];

const server = new Server();
let admin;
let alice;
let bob;
let seq = 0;
const nextMeeting = () => String(83000000000 + ++seq);

before(async () => {
  await server.start();
  admin = await server.createUser({ username: 'sessadmin', role: 'admin' });
  alice = await server.createUser({ username: 'alice', email: 'alice@example.com' });
  bob = await server.createUser({ username: 'bob', email: 'bob@example.com' });
});
after(() => server.cleanup());

const join = (user, meetingId, participantData, srv = server) =>
  srv.api('POST', '/api/user-sessions/join-meeting', { token: user.token, json: { meetingId, participantData } });
const leave = (user, sessionId, srv = server) =>
  srv.api('POST', '/api/user-sessions/leave-meeting', { token: user.token, json: { sessionId } });
const beat = (user, sessionId) =>
  server.api('POST', '/api/user-sessions/activity', { token: user.token, json: { sessionId } });
const mine = (user, query = '', srv = server) =>
  srv.api('GET', `/api/user-sessions/my-sessions${query}`, { token: user.token });
const minutes = (from, to) => Math.round((Date.parse(to) - Date.parse(from)) / 600) / 100;

test('join answers 201 with the contract shape, then 200 with the same session', async () => {
  const meetingId = nextMeeting();
  const first = await join(alice, meetingId, { participantName: '  Alice Able ', device: 'web' });
  assert.equal(first.status, 201, first.text);
  assert.equal(first.body.success, true);
  assert.equal(first.body.message, 'Successfully registered for meeting attendance');
  assert.match(first.body.sessionId, new RegExp(`^${alice.id}_${meetingId}_\\d{13}$`));
  const { userData } = first.body;
  assert.deepEqual(userData.user, { id: alice.id, username: 'alice', email: 'alice@example.com', role: 'user', studentId: null });
  assert.equal(userData.student, null);
  assert.equal(userData.meetingId, meetingId);
  assert.match(userData.joinTime, ISO);
  assert.equal(first.body.sessionId.split('_')[2], String(Date.parse(userData.joinTime)));

  const again = await join(alice, meetingId, { participantName: 'Other Name' });
  assert.equal(again.status, 200, again.text);
  assert.equal(again.body.sessionId, first.body.sessionId);
  assert.equal(again.body.userData.joinTime, userData.joinTime);

  const [s] = (await mine(alice, '?active=true')).body.sessions.filter((x) => x.meetingId === meetingId);
  assert.deepEqual(Object.keys(s).sort(), SESSION_KEYS);
  assert.equal(s.participantName, 'Alice Able', 'the idempotent join keeps the first name');
  assert.equal(s.device, 'web');
  assert.equal(s.isActive, true);
  assert.equal(s.endReason, null);
  assert.equal(s.leaveTime, null);
  assert.equal(s.duration, null);
  assert.equal(s.userId, alice.id);
});

test('participantData is optional: the name defaults to the username', async () => {
  const meetingId = nextMeeting();
  const r = await server.api('POST', '/api/user-sessions/join-meeting', { token: bob.token, json: { meetingId } });
  assert.equal(r.status, 201, r.text);
  const s = (await mine(bob)).body.sessions.find((x) => x.sessionId === r.body.sessionId);
  assert.equal(s.participantName, 'bob');
  assert.equal(s.device, null);
});

test('join validates its body and needs a token', async () => {
  for (const meetingId of [undefined, '', 'has space', 'x'.repeat(65), 12345, 'a/b']) {
    const r = await join(alice, meetingId);
    assert.equal(r.status, 400, `${JSON.stringify(meetingId)}: ${r.text}`);
    assert.equal(r.body.code, 'validation_failed');
    assert.ok(r.body.fields.meetingId, r.text);
  }
  const bad = await join(alice, nextMeeting(), { participantName: 42 });
  assert.equal(bad.status, 400);
  assert.ok(bad.body.fields['participantData.participantName'], bad.text);
  const broken = await server.api('POST', '/api/user-sessions/join-meeting', { token: alice.token, body: '{"meetingId":',
    headers: { 'content-type': 'application/json' } });
  assert.equal(broken.status, 400);
  assert.equal(broken.body.code, 'invalid_json');
  const anonymous = await server.api('POST', '/api/user-sessions/join-meeting', { json: { meetingId: nextMeeting() } });
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.body.code, 'missing_token');
});

test('20 concurrent identical joins create one session', async () => {
  const meetingId = nextMeeting();
  const answers = await Promise.all(Array.from({ length: 20 }, () => join(bob, meetingId, { participantName: 'Bob' })));
  const statuses = answers.map((a) => a.status).sort();
  assert.equal(statuses.length, 20);
  assert.equal(statuses.filter((s) => s === 201).length, 1, `one 201: ${statuses}`);
  assert.equal(statuses.filter((s) => s === 200).length, 19, `nineteen 200: ${statuses}`);
  assert.equal(new Set(answers.map((a) => a.body.sessionId)).size, 1);
  const ofMeeting = (await mine(bob, '?limit=500')).body.sessions.filter((s) => s.meetingId === meetingId);
  assert.equal(ofMeeting.length, 1);
});

test('the owner leaves: leaveTime, duration in minutes, endReason left', async () => {
  const meetingId = nextMeeting();
  const j = await join(alice, meetingId);
  await sleep(1300);
  const l = await leave(alice, j.body.sessionId);
  assert.equal(l.status, 200, l.text);
  assert.equal(l.body.success, true);
  assert.equal(typeof l.body.message, 'string');
  assert.equal(l.body.sessionId, j.body.sessionId);
  assert.equal(l.body.meetingId, meetingId);
  assert.match(l.body.leaveTime, ISO);
  assert.equal(l.body.duration, minutes(j.body.userData.joinTime, l.body.leaveTime));
  assert.ok(l.body.duration >= 0.02 && l.body.duration < 1, `${l.body.duration} minutes`);
  const s = (await mine(alice)).body.sessions.find((x) => x.sessionId === j.body.sessionId);
  assert.equal(s.isActive, false);
  assert.equal(s.endReason, 'left');
  assert.equal(s.leaveTime, l.body.leaveTime);
  assert.equal(s.duration, l.body.duration);

  const twice = await leave(alice, j.body.sessionId);
  assert.equal(twice.status, 404);
  assert.deepEqual(twice.body, { success: false, code: 'no_active_session', message: 'No active session found' });
  const rejoin = await join(alice, meetingId);
  assert.equal(rejoin.status, 201, 'a join after leaving starts a new session');
  assert.notEqual(rejoin.body.sessionId, j.body.sessionId);
});

test("someone else's session is 404 no_active_session and stays active; an admin may end it", async () => {
  const meetingId = nextMeeting();
  const j = await join(alice, meetingId);
  const other = await leave(bob, j.body.sessionId);
  assert.equal(other.status, 404);
  assert.equal(other.body.code, 'no_active_session');
  assert.equal(other.body.message, 'No active session found');
  const beatOther = await beat(bob, j.body.sessionId);
  assert.equal(beatOther.status, 404);
  assert.equal(beatOther.body.code, 'no_active_session');
  assert.equal((await mine(alice)).body.sessions.find((s) => s.sessionId === j.body.sessionId).isActive, true);

  const byAdmin = await leave(admin, j.body.sessionId);
  assert.equal(byAdmin.status, 200, byAdmin.text);
  assert.equal(byAdmin.body.sessionId, j.body.sessionId);
  const s = (await mine(alice)).body.sessions.find((x) => x.sessionId === j.body.sessionId);
  assert.equal(s.isActive, false);
  assert.equal(s.endReason, 'left');
});

test('leave and activity: unknown ids and bad bodies', async () => {
  for (const call of [leave, beat]) {
    const unknown = await call(alice, `${alice.id}_${nextMeeting()}_1700000000000`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 'no_active_session');
    // Ids no join can have produced: found by nothing, same answer.
    for (const malformed of ['garbage', `${alice.id}__1`, `x_m_1`, `${alice.id}_m_1x`, `-${alice.id}_m_1`]) {
      const r = await call(alice, malformed);
      assert.equal(r.status, 404, malformed);
      assert.equal(r.body.code, 'no_active_session', malformed);
    }
    const missing = await call(alice, undefined);
    assert.equal(missing.status, 400);
    assert.equal(missing.body.code, 'validation_failed');
    assert.ok(missing.body.fields.sessionId, missing.text);
    const wrongType = await call(alice, 7);
    assert.equal(wrongType.status, 400);
  }
  const anonymous = await server.api('POST', '/api/user-sessions/activity', { json: { sessionId: 'x' } });
  assert.equal(anonymous.status, 401);
});

test('the heartbeat moves lastActivity; an ended session has none', async () => {
  const meetingId = nextMeeting();
  const j = await join(bob, meetingId);
  await sleep(50);
  const b = await beat(bob, j.body.sessionId);
  assert.equal(b.status, 200, b.text);
  assert.deepEqual(Object.keys(b.body).sort(), ['lastActivity', 'sessionId', 'success']);
  assert.equal(b.body.sessionId, j.body.sessionId);
  assert.match(b.body.lastActivity, ISO);
  assert.ok(Date.parse(b.body.lastActivity) > Date.parse(j.body.userData.joinTime));
  const s = (await mine(bob)).body.sessions.find((x) => x.sessionId === j.body.sessionId);
  assert.equal(s.lastActivity, b.body.lastActivity);
  assert.equal(s.joinTime, j.body.userData.joinTime);
  assert.equal((await leave(bob, j.body.sessionId)).status, 200);
  const after = await beat(bob, j.body.sessionId);
  assert.equal(after.status, 404);
  assert.equal(after.body.code, 'no_active_session');
});

test('my-sessions: own only, newest first, active, limit, before', async () => {
  const carol = await server.createUser({ username: 'carol' });
  const ids = [];
  for (let i = 0; i < 5; i++) {
    ids.push((await join(carol, nextMeeting())).body.sessionId);
    await sleep(5);
  }
  await join(alice, nextMeeting());
  assert.equal((await leave(carol, ids[1])).status, 200);
  assert.equal((await leave(carol, ids[3])).status, 200);

  const all = await mine(carol);
  assert.equal(all.status, 200);
  assert.equal(all.body.success, true);
  assert.deepEqual(all.body.sessions.map((s) => s.sessionId), [...ids].reverse());
  assert.ok(all.body.sessions.every((s) => s.userId === carol.id));
  assert.deepEqual((await mine(carol, '?active=true')).body.sessions.map((s) => s.sessionId), [ids[4], ids[2], ids[0]]);
  assert.deepEqual((await mine(carol, '?active=false')).body.sessions.map((s) => s.sessionId), [ids[3], ids[1]]);
  assert.deepEqual((await mine(carol, '?limit=2')).body.sessions.map((s) => s.sessionId), [ids[4], ids[3]]);
  const third = all.body.sessions.find((s) => s.sessionId === ids[2]).joinTime;
  assert.deepEqual((await mine(carol, `?before=${encodeURIComponent(third)}`)).body.sessions.map((s) => s.sessionId), [ids[1], ids[0]]);
  assert.deepEqual((await mine(carol, `?active=true&limit=1&before=${encodeURIComponent(third)}`)).body.sessions.map((s) => s.sessionId), [ids[0]]);
  assert.equal((await mine(carol, '?limit=100000')).body.sessions.length, 5, 'limit above the maximum is capped, not refused');

  for (const bad of ['?limit=0', '?limit=-1', '?limit=abc', '?active=yes', '?before=yesterday']) {
    const r = await mine(carol, bad);
    assert.equal(r.status, 400, `${bad}: ${r.text}`);
    assert.equal(r.body.code, 'validation_failed');
  }
  const dave = await server.createUser({ username: 'dave' });
  assert.deepEqual((await mine(dave)).body.sessions, []);
});

test('authenticated participants: admin only, active sessions with user and student', async () => {
  const meetingId = nextMeeting();
  await server.api('POST', '/api/students', { token: admin.token,
    json: { studentId: 5501, firstName: 'Erin', lastName: 'Early', department: 'Art', email: 'erin@school.edu' } });
  const erin = await server.createUser({ username: 'erin', email: 'erin@example.com' });
  const a = await join(erin, meetingId, { participantName: 'Erin E', device: 'phone' });
  const b = await join(bob, meetingId);
  assert.equal((await leave(bob, b.body.sessionId)).status, 200);

  const denied = await server.api('GET', `/api/user-sessions/meeting/${meetingId}/authenticated-participants`, { token: erin.token });
  assert.equal(denied.status, 403);
  assert.equal(denied.body.code, 'forbidden');
  const r = await server.api('GET', `/api/user-sessions/meeting/${meetingId}/authenticated-participants`, { token: admin.token });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.meetingId, meetingId);
  assert.equal(r.body.participants.length, 1, 'ended sessions are not listed');
  const [p] = r.body.participants;
  for (const k of SESSION_KEYS) assert.ok(k in p, `participant has ${k}`);
  assert.equal(p.sessionId, a.body.sessionId);
  assert.equal(p.participantName, 'Erin E');
  assert.equal(p.device, 'phone');
  assert.equal(p.user.username, 'erin');
  assert.deepEqual(p.student, { studentId: 5501, firstName: 'Erin', lastName: 'Early', department: 'Art', email: 'erin@school.edu',
    matchedBy: 'email-local-part' });
  assert.equal(p.zoomParticipant, null);
  assert.equal(p.linkedBy, null);

  const empty = await server.api('GET', `/api/user-sessions/meeting/${nextMeeting()}/authenticated-participants`, { token: admin.token });
  assert.equal(empty.status, 200);
  assert.deepEqual(empty.body.participants, []);
  const bad = await server.api('GET', '/api/user-sessions/meeting/bad%20id/authenticated-participants', { token: admin.token });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.code, 'validation_failed');
});

test('ending a meeting: admin only, ends its active sessions with meeting-ended', async () => {
  const meetingId = nextMeeting();
  const other = nextMeeting();
  const a = await join(alice, meetingId);
  const b = await join(bob, meetingId);
  const elsewhere = await join(alice, other);

  const denied = await server.api('POST', `/api/user-sessions/meeting/${meetingId}/end`, { token: alice.token, json: {} });
  assert.equal(denied.status, 403);
  assert.equal(denied.body.code, 'forbidden');
  const r = await server.api('POST', `/api/user-sessions/meeting/${meetingId}/end`, { token: admin.token, json: {} });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body, { success: true, meetingId, endedCount: 2 });
  for (const [user, id] of [[alice, a.body.sessionId], [bob, b.body.sessionId]]) {
    const s = (await mine(user)).body.sessions.find((x) => x.sessionId === id);
    assert.equal(s.isActive, false);
    assert.equal(s.endReason, 'meeting-ended');
    assert.match(s.leaveTime, ISO);
    assert.equal(s.duration, minutes(s.joinTime, s.leaveTime));
  }
  assert.equal((await mine(alice)).body.sessions.find((x) => x.sessionId === elsewhere.body.sessionId).isActive, true);
  const again = await server.api('POST', `/api/user-sessions/meeting/${meetingId}/end`, { token: admin.token, json: {} });
  assert.deepEqual(again.body, { success: true, meetingId, endedCount: 0 });
  const ended = await leave(alice, a.body.sessionId);
  assert.equal(ended.status, 404);
});

test('stats after a scripted sequence', async () => {
  const fresh = new Server({ env: { SESSION_TIMEOUT: '900', CLEANUP_INTERVAL: '45' } });
  try {
    await fresh.start();
    const root = await fresh.createUser({ username: 'statadmin', role: 'admin' });
    const u1 = await fresh.createUser({ username: 'stat1', email: 'stat1@example.com' });
    const u2 = await fresh.createUser({ username: 'stat2', email: 'stat2@example.com' });
    const u3 = await fresh.createUser({ username: 'stat3', email: 'stat3@example.com' });
    const csv = 'studentId,firstName,lastName,department,email\n1,Stat,One,CS,stat1@uni.edu\n2,Stat,Two,CS,stat2@uni.edu\n';
    assert.equal((await fresh.api('POST', '/api/students/import', { token: root.token, body: csv,
      headers: { 'content-type': 'text/csv' } })).body.imported, 2);
    const stats = async () => {
      const r = await fresh.api('GET', '/api/user-sessions/stats', { token: root.token });
      assert.equal(r.status, 200, r.text);
      return r.body.stats;
    };
    assert.deepEqual(await stats(), {
      totalActiveSessions: 0, activeUsers: 0, activeMeetings: 0, roleBreakdown: { admin: 0, user: 0 },
      studentsWithSessions: 0,
      cleanup: { lastRunAt: null, sessionsExpired: 0, intervalSeconds: 45, sessionTimeoutSeconds: 900 },
    });

    await join(u1, 'm-a', undefined, fresh);           // student 1
    await join(u1, 'm-b', undefined, fresh);           // student 1 again
    const s2 = await join(u2, 'm-a', undefined, fresh); // student 2, leaves below
    await join(u3, 'm-c', undefined, fresh);           // no student
    await join(root, 'm-a', undefined, fresh);
    await join(root, 'm-a', undefined, fresh);         // idempotent: no new session
    assert.equal((await leave(u2, s2.body.sessionId, fresh)).status, 200);
    let s = await stats();
    assert.equal(s.totalActiveSessions, 4);
    assert.equal(s.activeUsers, 3);
    assert.equal(s.activeMeetings, 3);
    assert.deepEqual(s.roleBreakdown, { admin: 1, user: 2 });
    assert.equal(s.studentsWithSessions, 1);

    assert.equal((await fresh.api('POST', '/api/user-sessions/meeting/m-a/end', { token: root.token, json: {} })).body.endedCount, 2);
    s = await stats();
    assert.equal(s.totalActiveSessions, 2);
    assert.equal(s.activeUsers, 2);
    assert.equal(s.activeMeetings, 2);
    assert.deepEqual(s.roleBreakdown, { admin: 0, user: 2 });
    assert.equal(s.studentsWithSessions, 1);
    assert.equal(s.cleanup.sessionsExpired, 0);

    const denied = await fresh.api('GET', '/api/user-sessions/stats', { token: u1.token });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.code, 'forbidden');
  } finally {
    await fresh.cleanup();
  }
});

test('a restart in the middle loses no session: active ones stay active, ids unchanged', async () => {
  const srv = new Server();
  try {
    await srv.start();
    const u = await srv.createUser({ username: 'restarter' });
    const keep = await join(u, 'r-1', { participantName: 'Kept', device: 'desk' }, srv);
    const ended = await join(u, 'r-2', undefined, srv);
    assert.equal((await leave(u, ended.body.sessionId, srv)).status, 200);
    const before = (await mine(u, '', srv)).body.sessions;

    const stopped = await srv.stop();
    assert.equal(stopped.code, 0);
    await srv.start();

    const after = (await mine(u, '', srv)).body.sessions;
    assert.deepEqual(after, before, 'every session as it was, ids and times unchanged');
    assert.equal(after.find((s) => s.sessionId === keep.body.sessionId).isActive, true);
    const again = await join(u, 'r-1', undefined, srv);
    assert.equal(again.status, 200, 'the active session is found again after the restart');
    assert.equal(again.body.sessionId, keep.body.sessionId);
    const b = await srv.api('POST', '/api/user-sessions/activity', { token: u.token, json: { sessionId: keep.body.sessionId } });
    assert.equal(b.status, 200);
    const l = await leave(u, keep.body.sessionId, srv);
    assert.equal(l.status, 200);
    assert.equal(l.body.duration, minutes(keep.body.userData.joinTime, l.body.leaveTime));
  } finally {
    await srv.cleanup();
  }
});
