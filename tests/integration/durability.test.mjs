// An acknowledged write survives kill -9: the server is killed while joins, leaves and Zoom
// deliveries are in flight, restarted on the same storage, and everything it answered 2xx
// for must be there. Writes it never answered may or may not have landed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from '../support/server.mjs';
import { deliver, joined, person } from '../support/zoom.mjs';

const USERS = 8;
const ZOOM_MEETING = '77000000001';

/// Joins and leaves of one user, one request at a time, each in a new meeting, until the
/// server goes away; returns what was acknowledged.
async function sessionLoad(server, user, index, acked) {
  for (let round = 0; ; round++) {
    const meetingId = `8${String(index).padStart(2, '0')}${String(round).padStart(7, '0')}`;
    try {
      const join = await server.api('POST', '/api/user-sessions/join-meeting', { token: user.token, json: { meetingId } });
      if (join.status !== 201) throw new Error(`join answered ${join.status} ${join.text}`);
      acked.joins.push({ user, sessionId: join.body.sessionId });
      acked.onJoin();
      const leave = await server.api('POST', '/api/user-sessions/leave-meeting', { token: user.token, json: { sessionId: join.body.sessionId } });
      if (leave.status !== 200) throw new Error(`leave answered ${leave.status} ${leave.text}`);
      acked.leaves.add(join.body.sessionId);
    } catch (e) {
      if (e.cause || e.name === 'TypeError') return; // the connection died with the server
      throw e;
    }
  }
}

/// Zoom participant_joined deliveries, one at a time, until the server goes away.
async function zoomLoad(server, prefix, acked) {
  const start = Date.now() - 60_000;
  for (let i = 0; ; i++) {
    const email = `${prefix}${i}@example.com`;
    try {
      const r = await deliver(server, joined(ZOOM_MEETING, person({ name: `${prefix} ${i}`, email }), start + i, { startTime: start }));
      if (r.status !== 200) throw new Error(`webhook answered ${r.status} ${r.text}`);
      acked.participants.add(email);
    } catch (e) {
      if (e.cause || e.name === 'TypeError') return;
      throw e;
    }
  }
}

test('kill -9 under load loses no acknowledged join, leave or Zoom delivery', { timeout: 120_000 }, async (t) => {
  const server = new Server();
  try {
    await server.start();
    const admin = await server.createUser({ username: 'admin', role: 'admin' });
    const users = [];
    for (let i = 0; i < USERS; i++) users.push(await server.createUser({ username: `load${i}` }));

    // Kill once a good amount has been acknowledged (bounded, for a slow machine).
    let enough;
    let bound;
    const killTime = new Promise((resolve) => {
      enough = resolve;
      bound = setTimeout(resolve, 20_000);
    });
    const acked = {
      joins: [], leaves: new Set(), participants: new Set(),
      onJoin() { if (this.joins.length >= 150) enough(); },
    };
    const load = [...users.map((u, i) => sessionLoad(server, u, i, acked)), zoomLoad(server, 'zoom-a', acked), zoomLoad(server, 'zoom-b', acked)];
    await killTime;
    clearTimeout(bound);
    const killed = await server.stop('SIGKILL');
    assert.equal(killed.signal, 'SIGKILL');
    await Promise.all(load);
    assert.ok(acked.joins.length >= 50, `only ${acked.joins.length} joins were acknowledged before the kill`);
    assert.ok(acked.participants.size > 0, 'some Zoom deliveries were acknowledged before the kill');
    t.diagnostic(`acknowledged before the kill: ${acked.joins.length} joins, ${acked.leaves.size} leaves, ${acked.participants.size} Zoom participants`);

    await server.start();
    for (const user of users) {
      const mine = await server.api('GET', '/api/user-sessions/my-sessions?limit=500', { token: user.token });
      assert.equal(mine.status, 200);
      const stored = new Map(mine.body.sessions.map((s) => [s.sessionId, s]));
      for (const { sessionId } of acked.joins.filter((j) => j.user === user)) {
        const s = stored.get(sessionId);
        assert.ok(s, `acknowledged session ${sessionId} survived`);
        if (acked.leaves.has(sessionId)) {
          assert.equal(s.isActive, false, `acknowledged leave of ${sessionId} survived`);
          assert.equal(s.endReason, 'left');
        }
      }
    }
    const report = await server.api('GET', `/api/attendance-tracker/attendance/${ZOOM_MEETING}`, { token: admin.token });
    assert.equal(report.status, 200);
    const emails = new Set(report.body.participants.map((p) => p.email));
    for (const email of acked.participants) assert.ok(emails.has(email), `acknowledged Zoom participant ${email} survived`);
  } finally {
    await server.cleanup();
  }
});
