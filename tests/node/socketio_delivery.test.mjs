// Who receives what (CONTRACT section 4): every event (sessions, linking, Zoom, attendance
// reads) reaches the admins and the user it is about with its payload, and never another
// user; subscribe/unsubscribe narrow an admin to meetings, with acknowledgements.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from '../support/server.mjs';
import { deliver, started, joined, left, person } from '../support/zoom.mjs';
import { stopClean, connect, expectEvent, sleep } from './support/clients.mjs';

// Expiry runs every second, so an idle session ends within a few seconds.
const server = new Server({ env: { SESSION_TIMEOUT: '2', CLEANUP_INTERVAL: '1' } });
let admin;
let watcher;
let alice;
let bob;
const sockets = {};

before(async () => {
  await server.start();
  admin = await server.createUser({ username: 'root', role: 'admin' });
  watcher = await server.createUser({ username: 'watcher', role: 'admin' });
  alice = await server.register('alice');
  bob = await server.register('bob');
  sockets.admin = await connect(server.url, { auth: { token: admin.token } });
  sockets.watcher = await connect(server.url, { auth: { token: watcher.token }, transports: ['websocket'] });
  sockets.alice = await connect(server.url, { auth: { token: alice.token }, transports: ['websocket'] });
  sockets.bob = await connect(server.url, { auth: { token: bob.token }, transports: ['polling'] });
});
after(async () => {
  for (const s of Object.values(sockets)) s.close();
  await stopClean(server);
  await server.cleanup();
});

async function joinAs(user, meetingId, participantName = user.username) {
  const r = await server.api('POST', '/api/user-sessions/join-meeting', {
    token: user.token, json: { meetingId, participantData: { participantName, device: 'phone' } },
  });
  assert.equal(r.status, 201);
  return r.body;
}

const about = (sessionId) => (e) => e.payload.sessionId === sessionId;

/// Waits a little, then checks that no socket but `expected` saw an event matching `match`.
async function onlyReached(expected, match) {
  await sleep(150);
  for (const [name, s] of Object.entries(sockets)) {
    const got = s.received.filter(match).length;
    assert.equal(got, expected.includes(name) ? 1 : 0, `${name} received ${got} matching events`);
  }
}

describe('delivery', () => {
  test('userJoinedMeeting reaches the admins and the user who joined, with the contract payload', async () => {
    const joined = await joinAs(alice, 'dm-1', 'Alice Liddell');
    const e = await expectEvent(sockets.alice, about(joined.sessionId));
    assert.equal(e.name, 'userJoinedMeeting');
    assert.deepEqual(Object.keys(e.payload).sort(), ['joinTime', 'meetingId', 'occurrenceId', 'participantData', 'sessionId', 'student', 'user']);
    assert.equal(e.payload.meetingId, 'dm-1');
    assert.equal(e.payload.user.id, alice.id);
    assert.equal(e.payload.user.username, 'alice');
    assert.deepEqual(e.payload.participantData, { participantName: 'Alice Liddell', device: 'phone' });
    assert.equal(e.payload.joinTime, joined.userData.joinTime);
    const forAdmin = await expectEvent(sockets.admin, about(joined.sessionId));
    assert.deepEqual(forAdmin.payload, e.payload);
    await onlyReached(['admin', 'watcher', 'alice'], about(joined.sessionId));
  });

  test('userLeftMeeting (left) reaches the admins and the owner only', async () => {
    const joined = await joinAs(bob, 'dm-2');
    const r = await server.api('POST', '/api/user-sessions/leave-meeting', { token: bob.token, json: { sessionId: joined.sessionId } });
    assert.equal(r.status, 200);
    const left = (e) => e.name === 'userLeftMeeting' && e.payload.sessionId === joined.sessionId;
    const e = await expectEvent(sockets.bob, left);
    assert.deepEqual(Object.keys(e.payload).sort(), ['duration', 'leaveTime', 'meetingId', 'occurrenceId', 'reason', 'sessionId', 'user']);
    assert.equal(e.payload.reason, 'left');
    assert.equal(e.payload.leaveTime, r.body.leaveTime);
    assert.equal(e.payload.duration, r.body.duration);
    assert.equal(e.payload.user.id, bob.id);
    await onlyReached(['admin', 'watcher', 'bob'], left);
  });

  test('meetingSessionsEnded reaches the admins and the users whose sessions it ended', async () => {
    const a = await joinAs(alice, 'dm-3');
    const b = await joinAs(bob, 'dm-4');
    const r = await server.api('POST', '/api/user-sessions/meeting/dm-3/end', { token: admin.token, json: {} });
    assert.equal(r.status, 200);
    const ended = (e) => e.name === 'meetingSessionsEnded' && e.payload.meetingId === 'dm-3';
    const e = await expectEvent(sockets.alice, ended);
    assert.equal(e.payload.endedCount, 1);
    assert.deepEqual(e.payload.endedBy, { id: admin.id, username: 'root' });
    assert.match(e.payload.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    await onlyReached(['admin', 'watcher', 'alice'], ended);
    const left = (e2) => e2.name === 'userLeftMeeting' && e2.payload.sessionId === a.sessionId;
    assert.equal((await expectEvent(sockets.alice, left)).payload.reason, 'meeting-ended');
    await onlyReached(['admin', 'watcher', 'alice'], left);
    await server.api('POST', '/api/user-sessions/leave-meeting', { token: bob.token, json: { sessionId: b.sessionId } });
  });

  test('userLeftMeeting (expired) reaches the admins and the owner only', async () => {
    const joined = await joinAs(bob, 'dm-5');
    const expired = (e) => e.name === 'userLeftMeeting' && e.payload.sessionId === joined.sessionId;
    const e = await expectEvent(sockets.bob, expired, 8000);
    assert.equal(e.payload.reason, 'expired');
    await onlyReached(['admin', 'watcher', 'bob'], expired);
  });

  test('Zoom events reach the admins only; participantLinked also the linked user', async () => {
    const meetingId = '83000000001';
    const t0 = Date.now() - 60000;
    const session = await joinAs(alice, meetingId);
    assert.equal((await deliver(server, started(meetingId, t0))).status, 200);
    const zoomAlice = person({ name: 'Alice In Zoom', email: 'alice@example.com' });
    assert.equal((await deliver(server, joined(meetingId, zoomAlice, t0 + 1000, { startTime: t0 }))).status, 200);
    const zoomJoin = (e) => e.name === 'zoomParticipantJoined' && e.payload.meetingId === meetingId;
    const z = await expectEvent(sockets.admin, zoomJoin);
    assert.deepEqual(Object.keys(z.payload).sort(), ['meetingId', 'occurrenceId', 'participant']);
    assert.equal(z.payload.participant.participantName, 'Alice In Zoom');
    await onlyReached(['admin', 'watcher'], zoomJoin);

    const linked = (e) => e.name === 'participantLinked' && e.payload.meetingId === meetingId;
    const l = await expectEvent(sockets.alice, linked);
    assert.deepEqual(Object.keys(l.payload).sort(), ['linkedBy', 'meetingId', 'occurrenceId', 'participant', 'sessionId', 'userId']);
    assert.equal(l.payload.sessionId, session.sessionId);
    assert.equal(l.payload.userId, alice.id);
    assert.equal(l.payload.linkedBy, 'email');
    assert.deepEqual(Object.keys(l.payload.participant).sort(), ['email', 'participantId', 'participantName', 'zoomUserId']);
    await onlyReached(['admin', 'watcher', 'alice'], linked);

    assert.equal((await deliver(server, left(meetingId, zoomAlice, t0 + 30000, { startTime: t0 }))).status, 200);
    const zoomLeft = (e) => e.name === 'zoomParticipantLeft' && e.payload.meetingId === meetingId;
    await expectEvent(sockets.watcher, zoomLeft);
    await onlyReached(['admin', 'watcher'], zoomLeft);

    const fetched = await server.api('GET', `/api/attendance-tracker/attendance/${meetingId}?enriched=true`, { token: admin.token });
    assert.equal(fetched.status, 200);
    const data = (e) => e.name === 'attendanceDataFetched' && e.payload.meetingId === meetingId;
    const f = await expectEvent(sockets.watcher, data);
    assert.deepEqual(f.payload.fetchedBy, { id: admin.id, username: 'root' });
    assert.equal(f.payload.participantCount, fetched.body.participants.length);
    assert.match(f.payload.at, /^\d{4}-\d\d-\d\dT/);
    await onlyReached(['admin', 'watcher'], data);
    await server.api('POST', '/api/user-sessions/leave-meeting', { token: alice.token, json: { sessionId: session.sessionId } });
  });

  test('no user ever received an event about another user', () => {
    for (const [name, user] of [['alice', alice], ['bob', bob]]) {
      for (const e of sockets[name].received) {
        const ownerId = e.payload.user?.id ?? e.payload.userId;
        if (ownerId !== undefined) assert.equal(ownerId, user.id, `${name} got ${JSON.stringify(e)}`);
      }
      assert.ok(sockets[name].received.length > 0);
    }
  });
});

describe('subscriptions', () => {
  test('an admin subscribed to meetings gets only their events; unsubscribing all restores everything', async () => {
    const s = sockets.watcher;
    assert.deepEqual(await s.emitWithAck('subscribe', { meetingId: 'sub-a' }), { success: true, meetingIds: ['sub-a'] });
    assert.deepEqual(await s.emitWithAck('subscribe', { meetingId: 'sub-b' }), { success: true, meetingIds: ['sub-a', 'sub-b'] });
    assert.deepEqual(await s.emitWithAck('subscribe', { meetingId: 'sub-a' }), { success: true, meetingIds: ['sub-a', 'sub-b'] });
    const inA = await joinAs(alice, 'sub-a');
    const inB = await joinAs(bob, 'sub-b');
    const elsewhere = await joinAs(alice, 'sub-c');
    await expectEvent(s, about(inA.sessionId));
    await expectEvent(s, about(inB.sessionId));
    await expectEvent(sockets.admin, about(elsewhere.sessionId));
    await sleep(150);
    assert.equal(s.received.filter(about(elsewhere.sessionId)).length, 0, 'an unsubscribed meeting stays silent');

    assert.deepEqual(await s.emitWithAck('unsubscribe', { meetingId: 'sub-a' }), { success: true, meetingIds: ['sub-b'] });
    const afterA = await joinAs(bob, 'sub-a');
    await expectEvent(sockets.admin, about(afterA.sessionId));
    await sleep(150);
    assert.equal(s.received.filter(about(afterA.sessionId)).length, 0);

    assert.deepEqual(await s.emitWithAck('unsubscribe', { meetingId: 'sub-b' }), { success: true, meetingIds: [] });
    const anywhere = await joinAs(alice, 'sub-d');
    await expectEvent(s, about(anywhere.sessionId));
  });

  test('a numeric meetingId is taken as its digits', async () => {
    const s = sockets.watcher;
    assert.deepEqual(await s.emitWithAck('subscribe', { meetingId: 8800000001 }), { success: true, meetingIds: ['8800000001'] });
    assert.deepEqual(await s.emitWithAck('unsubscribe', { meetingId: '8800000001' }), { success: true, meetingIds: [] });
  });

  test('a user may not subscribe, and nothing changes for them', async () => {
    const forbidden = { success: false, code: 'forbidden', message: 'Admin privileges required' };
    assert.deepEqual(await sockets.alice.emitWithAck('subscribe', { meetingId: 'x-1' }), forbidden);
    assert.deepEqual(await sockets.alice.emitWithAck('unsubscribe', { meetingId: 'x-1' }), forbidden);
    const own = await joinAs(alice, 'x-2');
    await expectEvent(sockets.alice, about(own.sessionId));
  });

  test('an invalid meetingId is validation_failed and changes nothing', async () => {
    const invalid = { success: false, code: 'validation_failed', message: 'Invalid meetingId' };
    for (const payload of [{}, { meetingId: '' }, { meetingId: 'a b' }, { meetingId: 'x'.repeat(65) }, { meetingId: true }, 'sub-a']) {
      assert.deepEqual(await sockets.admin.emitWithAck('subscribe', payload), invalid, JSON.stringify(payload));
    }
    const anywhere = await joinAs(bob, 'any-1');
    await expectEvent(sockets.admin, about(anywhere.sessionId));
  });

  test('subscribe without an ack callback still takes effect', async () => {
    const s = await connect(server.url, { auth: { token: admin.token }, transports: ['websocket'] });
    s.emit('subscribe', { meetingId: 'quiet-1' });
    await sleep(100);
    const other = await joinAs(alice, 'quiet-2');
    const inside = await joinAs(bob, 'quiet-1');
    await expectEvent(s, about(inside.sessionId));
    await expectEvent(sockets.admin, about(other.sessionId));
    assert.equal(s.received.filter(about(other.sessionId)).length, 0);
    s.close();
  });
});
