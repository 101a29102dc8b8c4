// CONTRACT section 2 (authentication, tokens) and section 3 "Auth and users".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { psql, Server, signJwt } from '../support/server.mjs';

const server = new Server({ testClock: true });
let admin;
before(async () => {
  await server.start();
  admin = await server.createUser({ username: 'root', role: 'admin' });
});
after(() => server.cleanup());

const now = () => Math.floor(Date.now() / 1000);

test('register answers 201 with a token and a user whose role is always user', async () => {
  const r = await server.api('POST', '/api/auth/register', {
    json: { username: 'alice', email: 'alice@example.com', password: 'password123', role: 'admin' },
  });
  assert.equal(r.status, 201);
  assert.equal(r.body.success, true);
  assert.deepEqual(r.body.user, { id: r.body.user.id, username: 'alice', email: 'alice@example.com', role: 'user', studentId: null });
  assert.match(r.body.user.id, /^[0-9]+$/);
  assert.match(r.body.token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
  const claims = JSON.parse(Buffer.from(r.body.token.split('.')[1], 'base64url'));
  assert.equal(claims.sub, r.body.user.id);
  assert.equal(claims.username, 'alice');
  assert.equal(claims.email, 'alice@example.com');
  assert.equal(claims.role, 'user');
  assert.equal(claims.exp - claims.iat, 43200);
  const me = await server.api('GET', '/api/auth/me', { token: r.body.token });
  assert.equal(me.status, 200);
  assert.deepEqual(me.body, { success: true, user: r.body.user });
});

test('register validates every field and names each bad one', async () => {
  const r = await server.api('POST', '/api/auth/register', { json: { username: 'a!', email: 'nope', password: 'short' } });
  assert.equal(r.status, 400);
  assert.equal(r.body.code, 'validation_failed');
  assert.equal(r.body.success, false);
  assert.deepEqual(Object.keys(r.body.fields).sort(), ['email', 'password', 'username']);
  const missing = await server.api('POST', '/api/auth/register', { json: {} });
  assert.equal(missing.status, 400);
  assert.deepEqual(Object.keys(missing.body.fields).sort(), ['email', 'password', 'username']);
  const types = await server.api('POST', '/api/auth/register', { json: { username: 42, email: ['x'], password: true } });
  assert.equal(types.status, 400);
  assert.equal(types.body.fields.username, 'must be a string');
});

test('a taken username or email is 409 conflict regardless of case, and nothing is stored', async () => {
  await server.register('bob');
  const again = await server.api('POST', '/api/auth/register', { json: { username: 'BOB', email: 'other@example.com', password: 'password123' } });
  assert.equal(again.status, 409);
  assert.equal(again.body.code, 'conflict');
  const email = await server.api('POST', '/api/auth/register', { json: { username: 'bobby', email: 'BOB@example.com', password: 'password123' } });
  assert.equal(email.status, 409);
  const users = await server.api('GET', '/api/users', { token: admin.token });
  assert.equal(users.body.users.filter((u) => u.username.toLowerCase().startsWith('bob')).length, 1);
});

test('login takes the username or the email, case-insensitively', async () => {
  const carol = await server.register('carol', { password: 'carol-secret' });
  for (const login of ['carol', 'CAROL', 'carol@example.com', 'Carol@Example.com']) {
    const r = await server.api('POST', '/api/auth/login', { json: { login, password: 'carol-secret' } });
    assert.equal(r.status, 200, login);
    assert.equal(r.body.user.id, carol.id);
    assert.ok(r.body.token);
  }
  for (const [login, password] of [['carol', 'wrong-password'], ['nobody', 'carol-secret']]) {
    const r = await server.api('POST', '/api/auth/login', { json: { login, password } });
    assert.equal(r.status, 401);
    assert.deepEqual(r.body, { success: false, code: 'invalid_credentials', message: 'Invalid username or password' });
  }
  const bad = await server.api('POST', '/api/auth/login', { json: { login: '' } });
  assert.equal(bad.status, 400);
  assert.deepEqual(Object.keys(bad.body.fields).sort(), ['login', 'password']);
});

test('tokens: missing, malformed, unprefixed, expired, wrong secret, alg none/HS512 are refused', async () => {
  const dave = await server.register('dave');
  const secret = server.env.JWT_SECRET;
  const good = { sub: dave.id, exp: now() + 600 };
  const cases = [
    [undefined, 401, 'missing_token', 'No token provided'],
    ['Bearer', 401, 'invalid_token'],
    ['Bearer not.a.jwt', 401, 'invalid_token'],
    ['Bearer abc', 401, 'invalid_token'],
    [dave.token, 401, 'invalid_token'],
    [`Basic ${dave.token}`, 401, 'invalid_token'],
    [`Bearer ${signJwt({ sub: dave.id, exp: now() - 60 }, secret)}`, 401, 'invalid_token'],
    [`Bearer ${signJwt({ sub: dave.id }, secret)}`, 401, 'invalid_token'],
    [`Bearer ${signJwt(good, 'another-secret')}`, 401, 'invalid_token'],
    [`Bearer ${signJwt(good, secret, { alg: 'none', typ: 'JWT' })}`, 401, 'invalid_token'],
    [`Bearer ${signJwt(good, secret, { alg: 'HS512', typ: 'JWT' })}`, 401, 'invalid_token'],
    [`Bearer ${signJwt(good, secret, { typ: 'JWT' })}`, 401, 'invalid_token'],
  ];
  for (const [authorization, status, code, message] of cases) {
    const r = await server.api('GET', '/api/auth/me', { headers: authorization === undefined ? {} : { authorization } });
    assert.equal(r.status, status, String(authorization));
    assert.equal(r.body.code, code, String(authorization));
    assert.equal(r.body.success, false);
    if (message) assert.equal(r.body.message, message);
    else assert.equal(r.body.message, 'Invalid or expired token');
  }
});

test('tokens: 30 s of leeway on exp, and the id from sub, else id, else userId', async () => {
  const erin = await server.register('erin');
  const secret = server.env.JWT_SECRET;
  for (const payload of [
    { sub: erin.id, exp: now() - 20 },
    { id: Number(erin.id), exp: now() + 60 },
    { id: erin.id, exp: now() + 60 },
    { userId: erin.id, exp: now() + 60 },
  ]) {
    const r = await server.api('GET', '/api/auth/me', { token: signJwt(payload, secret) });
    assert.equal(r.status, 200, JSON.stringify(payload));
    assert.equal(r.body.user.username, 'erin');
  }
  const late = await server.api('GET', '/api/auth/me', { token: signJwt({ sub: erin.id, exp: now() - 45 }, secret) });
  assert.equal(late.status, 401);
});

test('a token for a user that does not exist is user_not_found', async () => {
  const secret = server.env.JWT_SECRET;
  for (const sub of ['999999', '507f1f77bcf86cd799439011']) {
    const r = await server.api('GET', '/api/auth/me', { token: signJwt({ sub, exp: now() + 60 }, secret) });
    assert.equal(r.status, 401);
    assert.deepEqual(r.body, { success: false, code: 'user_not_found', message: 'User not found' });
  }
});

test('the role comes from storage: a user token claiming admin is still a user', async () => {
  const frank = await server.register('frank');
  const forged = signJwt({ sub: frank.id, role: 'admin', exp: now() + 60 }, server.env.JWT_SECRET);
  const r = await server.api('GET', '/api/users', { token: forged });
  assert.equal(r.status, 403);
  assert.deepEqual(r.body, { success: false, code: 'forbidden', message: 'Admin privileges required' });
});

test('admins list users and change roles and student links', async () => {
  const grace = await server.register('grace');
  const list = await server.api('GET', '/api/users', { token: admin.token });
  assert.equal(list.status, 200);
  assert.ok(list.body.users.some((u) => u.id === grace.id && u.role === 'user'));
  assert.ok(list.body.users.every((u) => Object.keys(u).sort().join() === 'email,id,role,studentId,username'));

  const unknownStudent = await server.api('PATCH', `/api/users/${grace.id}`, { token: admin.token, json: { studentId: 4242 } });
  assert.equal(unknownStudent.status, 400);
  assert.equal(unknownStudent.body.fields.studentId, 'no student has this studentId');
  const badRole = await server.api('PATCH', `/api/users/${grace.id}`, { token: admin.token, json: { role: 'root' } });
  assert.equal(badRole.status, 400);
  assert.ok(badRole.body.fields.role);

  await server.api('POST', '/api/students', { token: admin.token,
    json: { studentId: 4242, firstName: 'Grace', lastName: 'Hopper', department: 'CS', email: 'grace@school.edu' } });
  const linked = await server.api('PATCH', `/api/users/${grace.id}`, { token: admin.token, json: { role: 'admin', studentId: 4242 } });
  assert.equal(linked.status, 200);
  assert.deepEqual(linked.body.user, { id: grace.id, username: 'grace', email: 'grace@example.com', role: 'admin', studentId: 4242 });
  // The changed role takes effect for the user's next request.
  const asAdmin = await server.api('GET', '/api/users', { token: grace.token });
  assert.equal(asAdmin.status, 200);
  const unlinked = await server.api('PATCH', `/api/users/${grace.id}`, { token: admin.token, json: { studentId: null } });
  assert.equal(unlinked.body.user.studentId, null);
  const missing = await server.api('PATCH', '/api/users/987654', { token: admin.token, json: { role: 'user' } });
  assert.equal(missing.status, 404);
  assert.equal(missing.body.code, 'not_found');
});

test('admin routes check the role before the body', async () => {
  const heidi = await server.register('heidi');
  const r = await server.api('PATCH', `/api/users/${heidi.id}`, { token: heidi.token, body: '{not json', headers: { 'content-type': 'text/plain' } });
  assert.equal(r.status, 403);
});

test('a token of a user that no longer exists in storage is user_not_found', async () => {
  // The token stays validly signed, but storage no longer has the user: on PostgreSQL the
  // row is deleted while the server is stopped; on SQLite the user is made after a backup of
  // the file was taken, and the backup is restored.
  const s = new Server();
  try {
    const file = s.postgres ? undefined : s.env.DATABASE_URL.slice('sqlite:'.length);
    const copies = ['', '-wal', '-shm'];
    assert.equal((await s.cli(['migrate'])).code, 0);
    if (file) for (const suffix of copies) if (existsSync(file + suffix)) copyFileSync(file + suffix, `${file}${suffix}.bak`);
    await s.start();
    const gone = await s.register('gone');
    assert.equal((await s.api('GET', '/api/auth/me', { token: gone.token })).status, 200);
    await s.stop();
    if (s.postgres) {
      psql(s.postgres.url, `DELETE FROM users WHERE id = ${Number(gone.id)}`);
    } else {
      for (const suffix of copies) {
        rmSync(file + suffix, { force: true });
        if (existsSync(`${file}${suffix}.bak`)) copyFileSync(`${file}${suffix}.bak`, file + suffix);
      }
    }
    await s.start();
    for (const token of [gone.token, signJwt({ id: Number(gone.id), exp: now() + 60 }, s.env.JWT_SECRET)]) {
      const r = await s.api('GET', '/api/auth/me', { token });
      assert.equal(r.status, 401);
      assert.deepEqual(r.body, { success: false, code: 'user_not_found', message: 'User not found' });
    }
  } finally {
    await s.cleanup();
  }
});

test('Node-style { id } tokens as jsonwebtoken signed them are accepted', async () => {
  const ivan = await server.register('ivan');
  const iat = now();
  // jsonwebtoken's default header and claim order: {"alg":"HS256","typ":"JWT"}, {id, iat, exp}.
  const token = signJwt({ id: ivan.id, iat, exp: iat + 3600 }, server.env.JWT_SECRET);
  const me = await server.api('GET', '/api/auth/me', { token });
  assert.equal(me.status, 200);
  assert.deepEqual(me.body, { success: true, user: { id: ivan.id, username: 'ivan', email: 'ivan@example.com', role: 'user', studentId: null } });
  // An id that is not a user number (a MongoDB ObjectId from the old system) names nobody.
  const mongo = await server.api('GET', '/api/auth/me', { token: signJwt({ id: '65a1b2c3d4e5f60718293a4b', exp: iat + 60 }, server.env.JWT_SECRET) });
  assert.equal(mongo.body.code, 'user_not_found');
  // Neither sub, id nor userId: not a usable token.
  const none = await server.api('GET', '/api/auth/me', { token: signJwt({ username: 'ivan', exp: iat + 60 }, server.env.JWT_SECRET) });
  assert.equal(none.status, 401);
  assert.equal(none.body.code, 'invalid_token');
});

test('users list and patch refuse missing tokens, non-admins and bad input', async () => {
  const judy = await server.register('judy');
  const noToken = await server.api('GET', '/api/users');
  assert.deepEqual(noToken.body, { success: false, code: 'missing_token', message: 'No token provided' });
  assert.equal(noToken.status, 401);
  const asUser = await server.api('GET', '/api/users', { token: judy.token });
  assert.equal(asUser.status, 403);
  assert.equal(asUser.body.code, 'forbidden');
  const patchAsUser = await server.api('PATCH', `/api/users/${judy.id}`, { token: judy.token, json: { role: 'admin' } });
  assert.equal(patchAsUser.status, 403);
  const patchNoToken = await server.api('PATCH', `/api/users/${judy.id}`, { json: { role: 'admin' } });
  assert.equal(patchNoToken.status, 401);
  assert.equal(patchNoToken.body.code, 'missing_token');

  for (const id of ['abc', '0', '-1', '1.5']) {
    const r = await server.api('PATCH', `/api/users/${id}`, { token: admin.token, json: { role: 'user' } });
    assert.equal(r.status, 404, id);
    assert.equal(r.body.code, 'not_found', id);
  }
  const badJson = await server.api('PATCH', `/api/users/${judy.id}`, { token: admin.token, body: '{"role":', headers: { 'content-type': 'application/json' } });
  assert.equal(badJson.status, 400);
  assert.equal(badJson.body.code, 'invalid_json');
  const wrongType = await server.api('PATCH', `/api/users/${judy.id}`, { token: admin.token, body: '{"role":"admin"}', headers: { 'content-type': 'text/plain' } });
  assert.equal(wrongType.status, 415);
  for (const [json, field] of [[{ role: 1 }, 'role'], [{ role: 'Admin' }, 'role'], [{ studentId: 'abc' }, 'studentId'],
    [{ studentId: -1 }, 'studentId'], [{ studentId: 1.5 }, 'studentId'], [[], 'body']]) {
    const r = await server.api('PATCH', `/api/users/${judy.id}`, { token: admin.token, json });
    assert.equal(r.status, 400, JSON.stringify(json));
    assert.equal(r.body.code, 'validation_failed');
    assert.ok(r.body.fields[field], `${JSON.stringify(json)}: ${r.text}`);
  }
  // Both bad at once: both named.
  const both = await server.api('PATCH', `/api/users/${judy.id}`, { token: admin.token, json: { role: 'x', studentId: 'y' } });
  assert.deepEqual(Object.keys(both.body.fields).sort(), ['role', 'studentId']);
  // Nothing changed by the refused patches; an empty patch answers the user as is.
  const same = await server.api('PATCH', `/api/users/${judy.id}`, { token: admin.token, json: {} });
  assert.equal(same.status, 200);
  assert.deepEqual(same.body.user, { id: judy.id, username: 'judy', email: 'judy@example.com', role: 'user', studentId: null });
});

test('a demoted admin loses admin access within 5 s', async () => {
  const kim = await server.register('kim');
  assert.equal((await server.api('PATCH', `/api/users/${kim.id}`, { token: admin.token, json: { role: 'admin' } })).status, 200);
  assert.equal((await server.api('GET', '/api/users', { token: kim.token })).status, 200);
  assert.equal((await server.api('PATCH', `/api/users/${kim.id}`, { token: admin.token, json: { role: 'user' } })).status, 200);
  // Whatever the server cached about kim is stale 5 s on.
  await server.advanceClock(5000);
  assert.equal((await server.api('GET', '/api/users', { token: kim.token })).status, 403);
  const me = await server.api('GET', '/api/auth/me', { token: kim.token });
  assert.equal(me.body.user.role, 'user');
});

test('an issued token is refused once JWT_EXPIRES_IN and the 30 s leeway have passed', async () => {
  const s = new Server({ testClock: true, env: { JWT_EXPIRES_IN: '60' } });
  try {
    await s.start();
    const { token } = await s.register('shortlived');
    const me = () => s.api('GET', '/api/auth/me', { token });
    assert.equal((await me()).status, 200);
    await s.advanceClock(80_000);
    assert.equal((await me()).status, 200, 'valid within lifetime + leeway');
    await s.advanceClock(12_000);
    const late = await me();
    assert.equal(late.status, 401);
    assert.equal(late.body.code, 'invalid_token');
  } finally {
    await s.cleanup();
  }
});
