// CONTRACT section 2 "Rate limits": failed sign-ins per client address and per account name,
// registrations per address, token buckets per user elsewhere; 429 rate_limited with
// Retry-After (and the wait in the message), each setting, 0 turns a limit off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Server, withServer, sleep } from '../support/server.mjs';

const signIn = (server, login, password, headers = {}) =>
  server.api('POST', '/api/auth/login', { json: { login, password }, headers });
const failSignIn = async (server, login, headers = {}) => {
  const r = await signIn(server, login, 'wrong-password', headers);
  if (r.status !== 429) assert.equal(r.body.code, 'invalid_credentials', r.text);
  return r;
};
// The cheapest registration: refused by validation after the address's bucket was drawn on.
const badRegistration = async (server) => {
  const r = await server.api('POST', '/api/auth/register', { json: {} });
  if (r.status !== 429) assert.equal(r.body.code, 'validation_failed', r.text);
  return r;
};
const mine = (server, user) => server.api('GET', '/api/user-sessions/my-sessions', { token: user.token });
const from = (address) => ({ 'x-forwarded-for': address });

/// 429 rate_limited with a Retry-After of `retryAfter` seconds, said in the message too. The
/// bucket refills while a test runs: `since` is when the requests that emptied it began, and
/// each second since then may have shortened the wait by a second.
function assertLimited(r, retryAfter, since = Date.now() - 1000) {
  assert.equal(r.status, 429, r.text);
  assert.deepEqual(r.body, { success: false, code: 'rate_limited', message: r.body.message });
  const wait = Number(r.headers.get('retry-after'));
  const refilled = Math.ceil((Date.now() - since) / 1000);
  assert.ok(Number.isInteger(wait) && wait >= Math.max(1, retryAfter - refilled) && wait <= retryAfter,
    `Retry-After ${r.headers.get('retry-after')}, expected ${retryAfter} (${refilled} s of refill)`);
  assert.match(r.body.message, new RegExp(`, try again in ${wait} s$`));
}

/// A server with the contract's default limits (the test harness otherwise raises them).
async function withDefaultLimits(env, fn) {
  const server = new Server({ env });
  for (const name of Object.keys(server.env)) {
    if (name.startsWith('RATE_LIMIT_') && !(name in env)) delete server.env[name];
  }
  try {
    await server.start();
    return await fn(server);
  } finally {
    await server.cleanup();
  }
}

test('a class of 40 behind one address registers and signs in at once, a few typos included', async () => {
  await withDefaultLimits({}, async (server) => {
    const pupils = Array.from({ length: 40 }, (_, i) => ({ username: `pupil${i}`, password: `pupil-password-${i}` }));
    const registered = await Promise.all(pupils.map(({ username, password }) =>
      server.api('POST', '/api/auth/register', { json: { username, email: `${username}@school.example`, password } })));
    assert.deepEqual(registered.map((r) => r.status), pupils.map(() => 201));
    // three pupils mistype their password once, then everyone signs in at the bell
    const typos = await Promise.all(pupils.slice(0, 3).map(({ username }) => failSignIn(server, username)));
    assert.deepEqual(typos.map((r) => r.status), [401, 401, 401]);
    const signedIn = await Promise.all(pupils.map(({ username, password }) => signIn(server, username, password)));
    assert.deepEqual(signedIn.map((r) => r.status), pupils.map(() => 200));
    assert.deepEqual(signedIn.map((r) => r.body.user.username), pupils.map((p) => p.username));
  });
});

test('failed sign-ins are limited per client address: the 11th is refused with Retry-After', async () => {
  await withDefaultLimits({}, async (server) => {
    const user = await server.createUser({ username: 'teacher' });
    // ten at once, under ten names so that no account's own limit is reached
    const since = Date.now();
    const failures = await Promise.all(Array.from({ length: 10 }, (_, i) => failSignIn(server, `guess${i}`)));
    assert.deepEqual(failures.map((r) => r.status), failures.map(() => 401));
    // 10 a minute: a token is back 6 s after the bucket ran dry
    assertLimited(await failSignIn(server, 'guess10'), 6, since);
    // refused before the password is looked at: the right one is refused too
    const right = await signIn(server, 'teacher', user.password);
    assertLimited(right, 6, since);
    assert.match(right.body.message, /^Too many failed sign-ins, try again in \d+ s$/);
    // without TRUST_PROXY a forged X-Forwarded-For is not a new address
    assertLimited(await signIn(server, 'teacher', user.password, from('203.0.113.9')), 6, since);
    // registrations and the user's routes are limited separately
    const fresh = await server.register('newcomer');
    assert.equal((await mine(server, fresh)).status, 200);
    assert.equal((await mine(server, user)).status, 200);
    assert.equal((await server.api('GET', '/healthz')).status, 200);
  });
});

test('failed sign-ins are limited per account name from any address: the 6th is refused, the right password too', async () => {
  await withDefaultLimits({ TRUST_PROXY: '1' }, async (server) => {
    const pupil = await server.createUser({ username: 'pupil', email: 'pupil@school.example' });
    // five addresses, each far below its own limit; the name as the lookup reads it
    const logins = ['pupil', 'PUPIL', ' Pupil ', 'pupil', 'puPIL'];
    const since = Date.now();
    const failures = await Promise.all(logins.map((login, i) => failSignIn(server, login, from(`198.51.100.${i + 1}`))));
    assert.deepEqual(failures.map((r) => r.status), [401, 401, 401, 401, 401]);
    // 5 a minute: a token is back 12 s after the account's bucket ran dry
    assertLimited(await failSignIn(server, 'pupil', from('198.51.100.6')), 12, since);
    // locked out: the right password is refused too, from an address never seen before
    assertLimited(await signIn(server, 'pupil', pupil.password, from('198.51.100.7')), 12, since);
    // other accounts from those addresses are not
    const other = await server.createUser({ username: 'other' });
    assert.equal((await signIn(server, 'other', other.password, from('198.51.100.6'))).status, 200);
    // an account's limit counts names no account has as well
    const ghostSince = Date.now();
    const ghosts = await Promise.all(logins.map((_, i) => failSignIn(server, 'ghost', from(`192.0.2.${i + 1}`))));
    assert.deepEqual(ghosts.map((r) => r.status), [401, 401, 401, 401, 401]);
    assertLimited(await failSignIn(server, 'Ghost', from('192.0.2.99')), 12, ghostSince);
  });
});

test('a successful sign-in after failures is not counted', async () => {
  await withServer({ env: { RATE_LIMIT_AUTH_PER_MIN: '6', RATE_LIMIT_AUTH_BURST: '3', RATE_LIMIT_ACCOUNT_PER_MIN: '3' } },
    async (server) => {
      const user = await server.createUser({ username: 'forgetful' });
      const since = Date.now();
      assert.equal((await failSignIn(server, 'forgetful')).status, 401);
      assert.equal((await failSignIn(server, 'forgetful')).status, 401);
      for (let i = 0; i < 5; i++) assert.equal((await signIn(server, 'forgetful', user.password)).status, 200, `success ${i}`);
      // the third failure is the last both buckets allow
      assert.equal((await failSignIn(server, 'forgetful')).status, 401);
      assertLimited(await signIn(server, 'forgetful', user.password), 20, since);
    });
});

test('registrations are limited per client address', async () => {
  await withServer({ env: { RATE_LIMIT_REGISTER_PER_MIN: '3' } }, async (server) => {
    const first = await server.register('first');
    assert.equal((await badRegistration(server)).status, 400);
    assert.equal((await badRegistration(server)).status, 400);
    // 3 a minute: a token is back 20 s after the bucket ran dry
    assertLimited(await badRegistration(server), 20);
    assertLimited(await server.api('POST', '/api/auth/register',
      { json: { username: 'another', email: 'another@example.com', password: 'long-enough' } }), 20);
    // signing in is not a registration
    assert.equal((await signIn(server, 'first', first.password)).status, 200);
  });
});

test('with TRUST_PROXY=1 the address is the first X-Forwarded-For hop', async () => {
  await withServer({ env: { RATE_LIMIT_AUTH_PER_MIN: '6', RATE_LIMIT_AUTH_BURST: '2', TRUST_PROXY: '1' } }, async (server) => {
    const a = from('198.51.100.1, 10.0.0.1');
    const b = from('198.51.100.2, 10.0.0.1');
    assert.equal((await failSignIn(server, 'one', a)).status, 401);
    assert.equal((await failSignIn(server, 'two', a)).status, 401);
    assertLimited(await failSignIn(server, 'three', a), 10);
    assertLimited(await failSignIn(server, 'three', from('198.51.100.1')), 10);
    assert.equal((await failSignIn(server, 'three', b)).status, 401, 'another client address has its own bucket');
    assert.equal((await failSignIn(server, 'four')).status, 401, 'no header: the socket address, its own bucket');
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
    // /api/auth/me is one of the user's routes; signing in is not
    assertLimited(await server.api('GET', '/api/auth/me', { token: alice.token }), 5);
    assert.equal((await signIn(server, 'alice', alice.password)).status, 200);
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
  const off = { RATE_LIMIT_AUTH_PER_MIN: '0', RATE_LIMIT_AUTH_BURST: '1', RATE_LIMIT_ACCOUNT_PER_MIN: '0',
    RATE_LIMIT_REGISTER_PER_MIN: '0', RATE_LIMIT_PER_MIN: '1', RATE_LIMIT_BURST: '0' };
  await withServer({ env: off }, async (server) => {
    const user = await server.createUser({ username: 'unlimited' });
    for (let i = 0; i < 15; i++) {
      assert.equal((await failSignIn(server, 'unlimited')).status, 401, `failed sign-in ${i}`);
      assert.equal((await badRegistration(server)).status, 400, `registration ${i}`);
      assert.equal((await mine(server, user)).status, 200, `my-sessions ${i}`);
    }
  });
});

test('the defaults: failed sign-ins 10 a minute (burst 10) per address, registrations 60 a minute per address, 600 a minute (burst 120) per user', async () => {
  await withDefaultLimits({}, async (server) => {
    const since = Date.now();
    const failures = await Promise.all(Array.from({ length: 10 }, (_, i) => failSignIn(server, `nobody${i}`)));
    assert.deepEqual(failures.map((r) => r.status), failures.map(() => 401));
    assertLimited(await failSignIn(server, 'nobody10'), 6, since);
    // 60 registrations at once plus what refills (1 a second) while the 80 are answered
    const registrations = await Promise.all(Array.from({ length: 80 }, () => badRegistration(server)));
    const refused = registrations.filter((r) => r.status === 429);
    const answered = registrations.filter((r) => r.status === 400).length;
    assert.equal(refused.length + answered, 80);
    assert.ok(answered >= 60 && answered < 80, `${answered} of 80 answered`);
    assertLimited(refused[0], 1);
    const user = await server.createUser({ username: 'defaults' });
    const answers = await Promise.all(Array.from({ length: 300 }, () => mine(server, user)));
    const limited = answers.filter((r) => r.status === 429);
    const passed = answers.filter((r) => r.status === 200).length;
    assert.equal(limited.length + passed, 300);
    // 120 at once plus what refills (10 a second) while the 300 are answered (all 300 would
    // take 18 s of refill)
    assert.ok(passed >= 120 && passed < 300, `${passed} of 300 passed`);
    assert.equal(limited[0].headers.get('retry-after'), '1');
  });
});
