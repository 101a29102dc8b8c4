// Two headcount instances on one PostgreSQL and one Redis (issue 7): events fan out once,
// either instance serves any session, and each store recovers from an outage by itself.
// Starts its own PostgreSQL (scripts/test-postgres.sh) and redis-server on free ports.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import crypto from 'node:crypto';
import { Server, psql, sleep } from '../support/server.mjs';
import { connect, expectEvent } from '../node/support/clients.mjs';

const PG_SCRIPT = path.resolve(import.meta.dirname, '../../scripts/test-postgres.sh');
const pgDir = mkdtempSync(path.join(tmpdir(), 'headcount-scale-pg-'));
let redisPort;
let redis;
let a;
let b;
let admin;
let alice;
const sockets = [];

/// A port nothing listens on right now.
async function freePort() {
  const probe = net.createServer();
  await new Promise((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address();
  await new Promise((r) => probe.close(r));
  return port;
}

function pg(action) {
  execFileSync(PG_SCRIPT, [action, pgDir], { stdio: 'ignore' });
}

async function startRedis() {
  redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  redis.stdout.on('data', (d) => { out += d; });
  const end = Date.now() + 10000;
  while (!out.includes('Ready to accept connections')) {
    if (Date.now() > end) throw new Error(`redis-server did not start:\n${out}`);
    await sleep(20);
  }
}

async function stopRedis() {
  if (!redis || redis.exitCode !== null) return;
  const exited = once(redis, 'exit');
  redis.kill('SIGKILL');
  await exited;
}

/// Polls until `fn()` is true; fails after `ms`.
async function until(what, fn, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const ready = async (server) => (await server.api('GET', '/readyz')).status === 200;

async function join(server, user, meetingId) {
  const r = await server.api('POST', '/api/user-sessions/join-meeting', {
    token: user.token, json: { meetingId, participantData: { participantName: user.username } },
  });
  assert.equal(r.status, 201, r.text);
  return r.body.sessionId;
}

const joinedEvents = (socket, sessionId) => socket.received.filter((e) => e.name === 'userJoinedMeeting' && e.payload.sessionId === sessionId);

before(async () => {
  pg('start');
  const serverUrl = readFileSync(path.join(pgDir, 'url'), 'utf8').trim();
  psql(serverUrl, 'CREATE DATABASE scale');
  const url = new URL(serverUrl);
  url.pathname = '/scale';
  redisPort = await freePort();
  await startRedis();
  const env = {
    DATABASE_URL: url.toString(),
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    JWT_SECRET: crypto.randomBytes(24).toString('hex'),
    ZOOM_WEBHOOK_SECRET_TOKEN: crypto.randomBytes(16).toString('hex'),
    DB_POOL_SIZE: '4',
  };
  a = new Server({ env });
  b = new Server({ env });
  await a.start();
  await b.start();
  await until('both instances ready', async () => (await ready(a)) && (await ready(b)));
  admin = await a.createUser({ username: 'root', role: 'admin' });
  alice = await a.register('alice');
});

after(async () => {
  for (const s of sockets) s.close();
  await a?.cleanup();
  await b?.cleanup();
  await stopRedis();
  pg('stop');
  rmSync(pgDir, { recursive: true, force: true });
});

test('/readyz names both stores', async () => {
  const r = await b.api('GET', '/readyz');
  assert.equal(r.status, 200);
  assert.equal(r.body.storage, 'postgres');
  assert.equal(r.body.bus, 'redis');
});

test('a socket on B receives the join made on A exactly once, and so does one on A', async () => {
  const onA = await connect(a.url, { auth: { token: admin.token }, transports: ['websocket'] });
  const onB = await connect(b.url, { auth: { token: admin.token }, transports: ['websocket'] });
  sockets.push(onA, onB);
  const id = await join(a, alice, 'scale-1');
  await expectEvent(onB, (e) => e.name === 'userJoinedMeeting' && e.payload.sessionId === id, 5000);
  await expectEvent(onA, (e) => e.name === 'userJoinedMeeting' && e.payload.sessionId === id, 5000);
  await sleep(500);
  assert.equal(joinedEvents(onB, id).length, 1);
  assert.equal(joinedEvents(onA, id).length, 1);
});

test('a session made on A is left on B, and A hears of it', async () => {
  const onA = await connect(a.url, { auth: { token: alice.token } });
  sockets.push(onA);
  const id = await join(a, alice, 'scale-2');
  const r = await b.api('POST', '/api/user-sessions/leave-meeting', { token: alice.token, json: { sessionId: id } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.meetingId, 'scale-2');
  await expectEvent(onA, (e) => e.name === 'userLeftMeeting' && e.payload.sessionId === id, 5000);
  const again = await a.api('POST', '/api/user-sessions/leave-meeting', { token: alice.token, json: { sessionId: id } });
  assert.equal(again.status, 404);
});

test('concurrent identical joins on both instances make one session', async () => {
  const body = { meetingId: 'scale-race', participantData: { participantName: 'alice' } };
  const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 ? a : b).api(
    'POST', '/api/user-sessions/join-meeting', { token: alice.token, json: body },
  )));
  const statuses = answers.map((r) => r.status).sort();
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
  assert.equal(new Set(answers.map((r) => r.body.sessionId)).size, 1);
  const mine = await b.api('GET', '/api/user-sessions/my-sessions?active=true&limit=500', { token: alice.token });
  assert.equal(mine.body.sessions.filter((x) => x.meetingId === 'scale-race').length, 1);
});

test('Redis stopped for 5 s: events stay local and /readyz says so; restarted, fan-out works again', async () => {
  const onA = await connect(a.url, { auth: { token: admin.token }, transports: ['websocket'] });
  const onB = await connect(b.url, { auth: { token: admin.token }, transports: ['websocket'] });
  sockets.push(onA, onB);
  await stopRedis();
  await until('B not ready without Redis', async () => !(await ready(b)));
  const during = await join(a, alice, 'scale-3');
  await expectEvent(onA, (e) => e.name === 'userJoinedMeeting' && e.payload.sessionId === during, 5000);
  await sleep(5000);
  assert.equal(joinedEvents(onB, during).length, 0);
  assert.ok(a.logs('event not fanned out: Redis is unavailable').length >= 1);
  await startRedis();
  await until('both ready with Redis back', async () => (await ready(a)) && (await ready(b)));
  const after = await join(a, alice, 'scale-4');
  await expectEvent(onB, (e) => e.name === 'userJoinedMeeting' && e.payload.sessionId === after, 5000);
  await sleep(300);
  assert.equal(joinedEvents(onB, after).length, 1);
  assert.equal(joinedEvents(onA, after).length, 1);
});

test('PostgreSQL stopped: 503 unavailable; restarted: both instances recover by themselves', async () => {
  pg('pause');
  try {
    const r = await a.api('POST', '/api/user-sessions/join-meeting', {
      token: alice.token, json: { meetingId: 'scale-5' },
    });
    assert.equal(r.status, 503, r.text);
    assert.equal(r.body.code, 'unavailable');
    assert.equal((await b.api('GET', '/readyz')).status, 503);
  } finally {
    pg('resume');
  }
  await until('both ready with PostgreSQL back', async () => (await ready(a)) && (await ready(b)));
  const id = await join(b, alice, 'scale-5');
  const mine = await a.api('GET', '/api/user-sessions/my-sessions?active=true', { token: alice.token });
  assert.equal(mine.status, 200);
  assert.ok(mine.body.sessions.some((s) => s.sessionId === id));
});

test('kill -9 of A loses no acknowledged session, and B keeps serving', async () => {
  const ids = [];
  for (let i = 0; i < 20; i++) ids.push(await join(a, alice, `scale-kill-${i}`));
  await a.stop('SIGKILL');
  const mine = await b.api('GET', '/api/user-sessions/my-sessions?active=true&limit=500', { token: alice.token });
  assert.equal(mine.status, 200);
  const stored = new Set(mine.body.sessions.map((s) => s.sessionId));
  for (const id of ids) assert.ok(stored.has(id), `session ${id} acknowledged by A is missing`);
  const more = await join(b, alice, 'scale-after-kill');
  assert.ok(more);
});
