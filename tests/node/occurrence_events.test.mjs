// Issue 18: Zoom's meeting.ended ends the web sessions of that occurrence, with the events an
// admin's End raises, delivered to socket.io-client as CONTRACT section 4 says; sessions of
// another occurrence of the meeting go on, and no session heartbeats on after the class.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from '../support/server.mjs';
import { deliver, started, ended, joined, person } from '../support/zoom.mjs';
import { connect, expectEvent, stopClean } from './support/clients.mjs';

const server = new Server();
const sockets = {};
let admin;
let alice;
let bob;
let carol;

before(async () => {
  await server.start();
  admin = await server.createUser({ username: 'root', role: 'admin' });
  alice = await server.register('alice');
  bob = await server.register('bob');
  carol = await server.register('carol');
  sockets.admin = await connect(server.url, { auth: { token: admin.token } });
  sockets.alice = await connect(server.url, { auth: { token: alice.token }, transports: ['websocket'] });
  sockets.bob = await connect(server.url, { auth: { token: bob.token } });
  sockets.carol = await connect(server.url, { auth: { token: carol.token }, transports: ['websocket'] });
});
after(async () => {
  for (const s of Object.values(sockets)) s.close();
  await stopClean(server);
  await server.cleanup();
});

async function joinAs(user, meetingId) {
  const r = await server.api('POST', '/api/user-sessions/join-meeting', { token: user.token, json: { meetingId } });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

function about(uuid, body) {
  body.payload.object.uuid = uuid;
  return body;
}

const mySession = async (user, sessionId) =>
  (await server.api('GET', '/api/user-sessions/my-sessions', { token: user.token })).body.sessions
    .find((s) => s.sessionId === sessionId);

test('meeting.ended ends that occurrence\'s sessions with userLeftMeeting and meetingSessionsEnded', async () => {
  const meetingId = '86000000042';
  const t0 = Date.now() - 60000;
  const a = await joinAs(alice, meetingId);  // a little before the host starts: joins that class
  assert.equal((await deliver(server, about('class-1==', started(meetingId, t0)))).status, 200);
  const b = await joinAs(bob, meetingId);
  // Zoom's end of the first class is late; the next one has started and Carol is in it.
  const t1 = Date.now();
  assert.equal((await deliver(server, about('class-2==', started(meetingId, t1)))).status, 200);
  const c = await joinAs(carol, meetingId);
  const end = Date.now();  // after the sessions joined (a session never leaves before it joined)
  const endIso = new Date(end).toISOString();
  const answer = await deliver(server, about('class-1==', ended(meetingId, t0, end)));
  assert.equal(answer.status, 200);

  const sessionsEnded = (e) => e.name === 'meetingSessionsEnded' && e.payload.meetingId === meetingId;
  const forAlice = await expectEvent(sockets.alice, sessionsEnded);
  assert.equal(forAlice.payload.endedCount, 2);
  assert.deepEqual(forAlice.payload.endedBy, { id: null, username: 'Zoom' });
  assert.equal(forAlice.payload.at, endIso);
  const first = (await mySession(alice, a.sessionId)).occurrenceId;
  assert.equal(forAlice.payload.occurrenceId, first);
  assert.deepEqual((await expectEvent(sockets.admin, sessionsEnded)).payload, forAlice.payload);
  assert.deepEqual((await expectEvent(sockets.bob, sessionsEnded)).payload, forAlice.payload);

  for (const [user, session] of [[alice, a], [bob, b]]) {
    const left = (e) => e.name === 'userLeftMeeting' && e.payload.sessionId === session.sessionId;
    const e = await expectEvent(sockets[user.username], left);
    assert.equal(e.payload.reason, 'meeting-ended');
    assert.equal(e.payload.leaveTime, endIso);
    assert.equal(e.payload.occurrenceId, first);
    await expectEvent(sockets.admin, left);
    const stored = await mySession(user, session.sessionId);
    assert.equal(stored.isActive, false);
    assert.equal(stored.endReason, 'meeting-ended');
    assert.equal(stored.leaveTime, endIso);
    const beat = await server.api('POST', '/api/user-sessions/activity', { token: user.token, json: { sessionId: session.sessionId } });
    assert.equal(beat.status, 404, 'no heartbeat after the class');
    assert.equal(beat.body.code, 'no_active_session');
  }

  // Carol is in the next class: her session goes on, and she heard of nobody's end.
  const carols = await mySession(carol, c.sessionId);
  assert.equal(carols.isActive, true);
  assert.notEqual(carols.occurrenceId, first);
  // A Zoom retry of the end changes nothing; a later event shows what arrived before it.
  const again = await deliver(server, about('class-1==', ended(meetingId, t0, end)));
  assert.equal(again.body.duplicate, true);
  assert.equal((await deliver(server, about('class-2==', joined(meetingId, person({ name: 'Dee' }), t1 + 1000, { startTime: t1 })))).status, 200);
  await expectEvent(sockets.admin, (e) => e.name === 'zoomParticipantJoined' && e.payload.meetingId === meetingId);
  assert.equal(sockets.admin.received.filter(sessionsEnded).length, 1);
  assert.equal(sockets.admin.received.filter((e) => e.name === 'userLeftMeeting' && e.payload.sessionId === c.sessionId).length, 0);
  assert.equal(sockets.carol.received.filter(sessionsEnded).length, 0);
});
