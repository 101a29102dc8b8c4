// CONTRACT section 3 "Expiry": the cleanup task ends sessions idle for longer than
// SESSION_TIMEOUT, every CLEANUP_INTERVAL seconds, at their last activity; stats show the
// last run and the count; with several instances on one database only one runs a pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { Server } from '../support/server.mjs';

const join = (server, user, meetingId) =>
  server.api('POST', '/api/user-sessions/join-meeting', { token: user.token, json: { meetingId } });
const beat = (server, user, sessionId) =>
  server.api('POST', '/api/user-sessions/activity', { token: user.token, json: { sessionId } });
const sessionOf = async (server, user, sessionId) =>
  (await server.api('GET', '/api/user-sessions/my-sessions', { token: user.token })).body.sessions.find((s) => s.sessionId === sessionId);
const minutes = (from, to) => Math.round((Date.parse(to) - Date.parse(from)) / 600) / 100;

/// Resolves once `server` has logged `count` more expiry passes (run or skipped) than `before`.
const passCount = (server) => ['expired idle sessions', 'expiry pass found no idle sessions',
  'expiry pass skipped: another instance ran it'].reduce((n, msg) => n + server.logs(msg).length, 0);
const passesAfter = (server, before, count = 1) => server.untilLogged(() => passCount(server) >= before + count);

test('an idle session expires at its last activity; a kept-alive one does not', async () => {
  const server = new Server({ testClock: true, env: { SESSION_TIMEOUT: '30', CLEANUP_INTERVAL: '10', LOG_LEVEL: 'debug' } });
  try {
    await server.start();
    const admin = await server.createUser({ username: 'expadmin', role: 'admin' });
    const idle = await server.createUser({ username: 'idler' });
    const busy = await server.createUser({ username: 'busy' });
    const before = (await server.api('GET', '/api/user-sessions/stats', { token: admin.token })).body.stats.cleanup;
    // (a pass may already have run while the users were created)
    assert.deepEqual({ ...before, lastRunAt: undefined }, { lastRunAt: undefined, sessionsExpired: 0, intervalSeconds: 10, sessionTimeoutSeconds: 30 });

    const gone = await join(server, idle, 'exp-1');
    const kept = await join(server, busy, 'exp-1');
    await server.advanceClock(3000);
    const last = await beat(server, idle, gone.body.sessionId);
    assert.equal(last.status, 200);

    // Four passes 10 s apart; `busy` beats before each. `idle` is still active after the
    // second (20 s after its last activity) and past its timeout by the fourth (40 s).
    let now;
    for (let second = 1; second <= 4; second++) {
      assert.equal((await beat(server, busy, kept.body.sessionId)).status, 200, 'the kept session stays alive');
      const passes = passCount(server);
      now = (await server.advanceClock(10_000)).now;
      await passesAfter(server, passes);
      if (second === 2) assert.equal((await sessionOf(server, idle, gone.body.sessionId)).isActive, true, 'not expired before its timeout');
    }
    const ended = await sessionOf(server, idle, gone.body.sessionId);
    assert.equal(ended.isActive, false, 'expired after its timeout');
    assert.equal(ended.endReason, 'expired');
    assert.equal(ended.leaveTime, last.body.lastActivity, 'leaveTime = lastActivity');
    assert.equal(ended.lastActivity, last.body.lastActivity);
    assert.equal(ended.duration, minutes(ended.joinTime, ended.leaveTime));
    assert.equal((await sessionOf(server, busy, kept.body.sessionId)).isActive, true);

    const again = await beat(server, idle, gone.body.sessionId);
    assert.equal(again.status, 404, 'an expired session has no heartbeat');
    assert.equal(again.body.code, 'no_active_session');
    const rejoin = await join(server, idle, 'exp-1');
    assert.equal(rejoin.status, 201, 'joining again starts a new session');

    const stats = (await server.api('GET', '/api/user-sessions/stats', { token: admin.token })).body.stats;
    assert.equal(stats.cleanup.sessionsExpired, 1);
    // The last pass ran after the last step, on the server's clock.
    assert.ok(Date.parse(stats.cleanup.lastRunAt) >= Date.parse(now), `${stats.cleanup.lastRunAt} < ${now}`);
    assert.ok(Date.parse(stats.cleanup.lastRunAt) < Date.parse(now) + 1000, `${stats.cleanup.lastRunAt} long after ${now}`);
    assert.equal(stats.cleanup.intervalSeconds, 10);
    assert.equal(stats.cleanup.sessionTimeoutSeconds, 30);
    assert.equal(stats.totalActiveSessions, 2);
    assert.equal(server.logs('expired idle sessions').reduce((n, l) => n + l.count, 0), 1);
  } finally {
    await server.cleanup();
  }
});

test('CLEANUP_INTERVAL=0 turns expiry off', async () => {
  const server = new Server({ testClock: true, env: { SESSION_TIMEOUT: '1', CLEANUP_INTERVAL: '0', LOG_LEVEL: 'debug' } });
  try {
    await server.start();
    assert.equal(server.logs('session expiry disabled (CLEANUP_INTERVAL=0)').length, 1);
    const u = await server.createUser({ username: 'forever' });
    const j = await join(server, u, 'exp-off');
    await server.advanceClock(3_600_000);
    assert.equal((await sessionOf(server, u, j.body.sessionId)).isActive, true);
    assert.equal((await beat(server, u, j.body.sessionId)).status, 200);
    assert.equal(passCount(server), 0, 'no pass ran');
  } finally {
    await server.cleanup();
  }
});

test('two instances on one SQLite file: a pass runs on one of them, each session expires once', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'headcount-expiry-'));
  const env = { SESSION_TIMEOUT: '1', CLEANUP_INTERVAL: '60', LOG_LEVEL: 'debug', JWT_SECRET: crypto.randomBytes(24).toString('hex') };
  const a = new Server({ env, dir, testClock: true });
  const b = new Server({ env, dir, testClock: true });
  try {
    await a.start();
    await b.start();
    const users = [];
    for (let i = 0; i < 6; i++) users.push(await a.createUser({ username: `twin${i}` }));
    const ids = [];
    for (const [i, u] of users.entries()) ids.push((await join(i % 2 ? a : b, u, 'exp-two')).body.sessionId);

    const passes = (server) => ({
      ran: server.logs('expired idle sessions').length + server.logs('expiry pass found no idle sessions').length,
      skipped: server.logs('expiry pass skipped: another instance ran it').length,
      expired: server.logs('expired idle sessions').reduce((n, l) => n + l.count, 0),
    });
    // One tick of each, a moment apart: whichever claims the pass second (within half an
    // interval of the first) skips it. Both clocks move by the same step.
    const start = [passCount(a), passCount(b)];
    await Promise.all([a.advanceClock(60_000), b.advanceClock(60_000)]);
    await Promise.all([passesAfter(a, start[0]), passesAfter(b, start[1])]);
    const pa = passes(a);
    const pb = passes(b);
    assert.equal(pa.expired + pb.expired, ids.length, `each session expired once: ${JSON.stringify({ pa, pb })}`);
    assert.equal(pa.skipped + pb.skipped, 1, `one pass was skipped: ${JSON.stringify({ pa, pb })}`);
    for (const [i, id] of ids.entries()) {
      const s = await sessionOf(a, users[i], id);
      assert.equal(s.isActive, false);
      assert.equal(s.endReason, 'expired');
      assert.equal(s.leaveTime, s.lastActivity);
    }
  } finally {
    await a.cleanup();
    await b.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});
