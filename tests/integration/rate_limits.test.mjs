// CONTRACT section 2 "Rate limits": token buckets per client address on /api/auth/* and per
// user elsewhere, 429 rate_limited with Retry-After, each setting, 0 turns a limit off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Server, withServer, sleep } from '../support/server.mjs';

const login = (server, headers = {}) =>
  server.api('POST', '/api/auth/login', { json: { login: 'nobody', password: 'wrong-password' }, headers });
// The cheapest auth route: the address bucket is drawn on before the token is looked at.
const probe = async (server, headers = {}) => {
  const r = await server.api('GET', '/api/auth/me', { headers });
  if (r.status !== 429) assert.equal(r.body.code, 'missing_token');
  return r;
};
const mine = (server, user) => server.api('GET', '/api/user-sessions/my-sessions', { token: user.token });

/// 429 rate_limited with a Retry-After of `retryAfter` seconds (a second less when a second
/// of refill passed since the bucket ran dry: the machine is loaded).
function assertLimited(r, retryAfter) {
  assert.equal(r.status, 429, r.text);
  assert.deepEqual(r.body, { success: false, code: 'rate_limited', message: r.body.message });
  assert.equal(typeof r.body.message, 'string');
  const wait = Number(r.headers.get('retry-after'));
  assert.ok(Number.isInteger(wait) && wait >= Math.max(1, retryAfter - 1) && wait <= retryAfter,
    `Retry-After ${r.headers.get('retry-after')}, expected ${retryAfter}`);
}

test('auth routes are limited per client address: burst, then 429 with Retry-After', async () => {
  await withServer({ env: { RATE_LIMIT_AUTH_PER_MIN: '6', RATE_LIMIT_AUTH_BURST: '3' } }, async (server) => {
    const user = await server.createUser({ username: 'limited' });
    assert.equal((await login(server)).status, 401, 'a login is answered');
    for (let i = 0; i < 2; i++) assert.equal((await probe(server)).status, 401, `request ${i} is answered`);
    assertLimited(await probe(server), 10);
    assertLimited(await login(server), 10);
    // every /api/auth/* route draws on the same address bucket
    assertLimited(await server.api('GET', '/api/auth/me', { token: user.token }), 10);
    assertLimited(await server.api('POST', '/api/auth/register',
      { json: { username: 'another', email: 'another@example.com', password: 'long-enough' } }), 10);
    // without TRUST_PROXY a forged X-Forwarded-For is not a new address
    assertLimited(await probe(server, { 'x-forwarded-for': '203.0.113.9' }), 10);
    // the per-user limit is separate
    assert.equal((await mine(server, user)).status, 200);
    assert.equal((await server.api('GET', '/healthz')).status, 200);
  });
});

test('with TRUST_PROXY=1 the address is the first X-Forwarded-For hop', async () => {
  await withServer({ env: { RATE_LIMIT_AUTH_PER_MIN: '6', RATE_LIMIT_AUTH_BURST: '2', TRUST_PROXY: '1' } }, async (server) => {
    const a = { 'x-forwarded-for': '198.51.100.1, 10.0.0.1' };
    const b = { 'x-forwarded-for': '198.51.100.2, 10.0.0.1' };
    assert.equal((await probe(server, a)).status, 401);
    assert.equal((await probe(server, a)).status, 401);
    assertLimited(await probe(server, a), 10);
    assertLimited(await probe(server, { 'x-forwarded-for': '198.51.100.1' }), 10);
    assert.equal((await probe(server, b)).status, 401, 'another client address has its own bucket');
    assert.equal((await probe(server)).status, 401, 'no header: the socket address, its own bucket');
  });
});

test('other routes are limited per user, each user with its own bucket', async () => {
  await withServer({ env: { RATE_LIMIT_PER_MIN: '12', RATE_LIMIT_BURST: '4' } }, async (server) => {
    const alice = await server.createUser({ username: 'alice' });
    const bob = await server.createUser({ username: 'bob' });
    const admin = await server.createUser({ username: 'boss', role: 'admin' });
    for (let i = 0; i < 4; i++) assert.equal((await mine(server, alice)).status, 200, `request ${i}`);
    assertLimited(await mine(server, alice), 5);
    assertLimited(await server.api('POST', '/api/user-sessions/join-meeting', { token: alice.token, json: { meetingId: '1234' } }), 5);
    assert.equal((await mine(server, bob)).status, 200, 'bob is not limited by alice');
    for (let i = 0; i < 4; i++) assert.equal((await server.api('GET', '/api/students', { token: admin.token })).status, 200);
    assertLimited(await server.api('GET', '/api/students', { token: admin.token }), 5);
    // the auth bucket is separate from the user's
    assert.equal((await server.api('GET', '/api/auth/me', { token: alice.token })).status, 200);
  });
});

test('a bucket refills: after Retry-After seconds the request passes again', async () => {
  await withServer({ env: { RATE_LIMIT_PER_MIN: '60', RATE_LIMIT_BURST: '1' } }, async (server) => {
    const user = await server.createUser({ username: 'refill' });
    assert.equal((await mine(server, user)).status, 200);
    const limited = await mine(server, user);
    assertLimited(limited, 1);
    await sleep(Number(limited.headers.get('retry-after')) * 1000 + 250);
    assert.equal((await mine(server, user)).status, 200);
  });
});

test('0 turns each limit off', async () => {
  await withServer({ env: { RATE_LIMIT_AUTH_PER_MIN: '0', RATE_LIMIT_AUTH_BURST: '1', RATE_LIMIT_PER_MIN: '1', RATE_LIMIT_BURST: '0' } },
    async (server) => {
      const user = await server.createUser({ username: 'unlimited' });
      for (let i = 0; i < 40; i++) {
        assert.equal((await probe(server)).status, 401, `auth request ${i}`);
        assert.equal((await mine(server, user)).status, 200, `my-sessions ${i}`);
      }
    });
});

test('the defaults: 10 a minute (burst 10) per address on auth, 600 a minute (burst 120) per user', async () => {
  const server = new Server();
  for (const name of ['RATE_LIMIT_AUTH_PER_MIN', 'RATE_LIMIT_AUTH_BURST', 'RATE_LIMIT_PER_MIN', 'RATE_LIMIT_BURST']) delete server.env[name];
  try {
    await server.start();
    for (let i = 0; i < 10; i++) assert.equal((await probe(server)).status, 401, `request ${i}`);
    assertLimited(await probe(server), 6);
    const user = await server.createUser({ username: 'defaults' });
    const answers = await Promise.all(Array.from({ length: 300 }, () => mine(server, user)));
    const limited = answers.filter((r) => r.status === 429);
    const passed = answers.filter((r) => r.status === 200).length;
    assert.equal(limited.length + passed, 300);
    // 120 at once plus what refills (10 a second) while the 300 are answered (all 300 would
    // take 18 s of refill)
    assert.ok(passed >= 120 && passed < 300, `${passed} of 300 passed`);
    assert.equal(limited[0].headers.get('retry-after'), '1');
  } finally {
    await server.cleanup();
  }
});
