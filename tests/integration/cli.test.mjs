// CONTRACT section 1: every CLI command, settings from flags and the environment.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Server, runCli } from '../support/server.mjs';

const dirs = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

/// A Server (not started) with its own empty database folder, for running CLI commands.
function fresh(env = {}) {
  const s = new Server({ env });
  dirs.push(s.dir);
  return s;
}

const claimsOf = (token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url'));

const SETTINGS = ['PORT', 'HOST', 'DATABASE_URL', 'DB_POOL_SIZE', 'REDIS_URL', 'JWT_SECRET', 'JWT_EXPIRES_IN',
  'HEADCOUNT_ENV', 'NODE_ENV', 'LOG_LEVEL', 'THREADS', 'PASSWORD_HASH_CONCURRENCY', 'ZOOM_WEBHOOK_SECRET_TOKEN',
  'ZOOM_ACCOUNT_ID', 'ZOOM_CLIENT_ID', 'ZOOM_CLIENT_SECRET', 'ZOOM_API_BASE', 'ZOOM_OAUTH_BASE', 'SESSION_TIMEOUT',
  'CLEANUP_INTERVAL', 'LATE_AFTER_MINUTES', 'PRESENT_MIN_PERCENT', 'RATE_LIMIT_AUTH_PER_MIN', 'RATE_LIMIT_AUTH_BURST',
  'RATE_LIMIT_ACCOUNT_PER_MIN', 'RATE_LIMIT_REGISTER_PER_MIN', 'RATE_LIMIT_PER_MIN', 'RATE_LIMIT_BURST', 'TRUST_PROXY', 'HTTP_HEADER_TIMEOUT_MS', 'HTTP_IDLE_TIMEOUT_MS',
  'HTTP_BODY_TIMEOUT_MS', 'BODY_LIMIT', 'CSV_BODY_LIMIT', 'SOCKETIO_RECOVERY_SECONDS', 'SOCKETIO_PING_INTERVAL_MS',
  'SOCKETIO_PING_TIMEOUT_MS', 'SOCKETIO_MAX_PAYLOAD', 'SOCKETIO_SEND_QUEUE_LIMIT', 'CORS_ORIGINS'];
const flagOf = (env) => `--${env.toLowerCase().replaceAll('_', '-')}`;

test('--help lists the commands and every setting with its flag', async () => {
  const r = await runCli(['--help'], { env: { PATH: process.env.PATH } });
  assert.equal(r.code, 0, r.stderr);
  for (const cmd of ['serve', 'migrate', 'user', 'token']) assert.match(r.stdout, new RegExp(`\\b${cmd}\\b`), cmd);
  for (const env of SETTINGS) {
    assert.ok(r.stdout.includes(env), env);
    assert.ok(r.stdout.includes(flagOf(env)), flagOf(env));
  }
});

test('--help on each command says what it takes and exits 0', async () => {
  const cases = [
    [['serve', '--help'], ['--port', 'PORT', '--database-url', '--jwt-secret', '--http-header-timeout-ms']],
    [['migrate', '--help'], ['--database-url', 'DATABASE_URL']],
    [['user', '--help'], ['add']],
    [['user', 'add', '--help'], ['--username', '--email', '--role', '--password-stdin', '--database-url']],
    [['token', '--help'], ['--username', '--jwt-secret', '--jwt-expires-in']],
  ];
  for (const [args, wanted] of cases) {
    const r = await runCli(args, { env: { PATH: process.env.PATH } });
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    for (const w of wanted) assert.ok(r.stdout.includes(w), `${args.join(' ')} mentions ${w}`);
  }
});

test('no command, an unknown command or an unknown flag is a usage error', async () => {
  for (const args of [[], ['frobnicate'], ['serve', '--no-such-flag'], ['user'], ['token']]) {
    const r = await runCli(args, { env: { PATH: process.env.PATH } });
    assert.notEqual(r.code, 0, args.join(' '));
    assert.ok(r.stderr.length > 0, args.join(' '));
  }
});

test('migrate applies the schema once; a second run is a no-op', async () => {
  const s = fresh();
  const first = await s.cli(['migrate']);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /^applied migrations( \d+)+\n$/);
  assert.match(first.stdout, /applied migrations 1\b/);
  const second = await s.cli(['migrate']);
  assert.equal(second.code, 0, second.stderr);
  assert.equal(second.stdout, 'nothing to migrate\n');
  // serve on a migrated file applies nothing more, and works.
  await s.start();
  try {
    assert.equal(s.logs('migrations applied').length, 0);
    assert.equal((await s.api('GET', '/readyz')).status, 200);
  } finally {
    await s.stop();
  }
});

test('serve on a new file applies the migrations itself', async () => {
  const s = fresh();
  await s.start();
  try {
    assert.equal(s.logs('migrations applied').length, 1);
    assert.match(s.logs('migrations applied')[0].versions, /^1(,\d+)*$/);
  } finally {
    await s.stop();
  }
  assert.equal((await s.cli(['migrate'])).stdout, 'nothing to migrate\n');
});

test('migrate from several processes at once applies each version exactly once', async () => {
  for (let round = 0; round < 3; round++) {
    const s = fresh();
    const runs = await Promise.all([1, 2, 3, 4].map(() => s.cli(['migrate'])));
    const applied = [];
    for (const r of runs) {
      assert.equal(r.code, 0, r.stderr);
      if (r.stdout !== 'nothing to migrate\n') applied.push(...r.stdout.trim().split(' ').slice(2).map(Number));
    }
    assert.deepEqual(applied.sort((a, b) => a - b), [...new Set(applied)].sort((a, b) => a - b));
    assert.ok(applied.includes(1), `round ${round}: ${JSON.stringify(runs)}`);
    assert.equal((await s.cli(['migrate'])).stdout, 'nothing to migrate\n');
  }
});

test('user add creates a user from a password on stdin, and token signs one for it', async () => {
  const s = fresh();
  const add = await s.cli(['user', 'add', '--username', 'Admin.One', '--email', 'admin@example.com', '--role', 'admin',
    '--password-stdin'], { input: 'a-long-password\n' });
  assert.equal(add.code, 0, add.stderr);
  const user = JSON.parse(add.stdout);
  assert.deepEqual(user, { id: user.id, username: 'Admin.One', email: 'admin@example.com', role: 'admin', studentId: null });
  assert.match(user.id, /^\d+$/);
  // Passwords never reach the output.
  assert.ok(!add.stdout.includes('a-long-password') && !add.stderr.includes('a-long-password'));

  const plain = await s.cli(['user', 'add', '--username', 'plain', '--email', 'plain@example.com', '--password-stdin'],
    { input: 'another-password\r\n' });
  assert.equal(plain.code, 0, plain.stderr);
  assert.equal(JSON.parse(plain.stdout).role, 'user');

  const token = await s.cli(['token', '--username', 'Admin.One']);
  assert.equal(token.code, 0, token.stderr);
  const jwt = token.stdout.trim();
  assert.match(jwt, /^[\w-]+\.[\w-]+\.[\w-]+$/);
  const claims = claimsOf(jwt);
  assert.equal(claims.sub, user.id);
  assert.equal(claims.username, 'Admin.One');
  assert.equal(claims.role, 'admin');
  assert.equal(claims.exp - claims.iat, 43200);

  await s.start();
  try {
    const me = await s.api('GET', '/api/auth/me', { token: jwt });
    assert.equal(me.status, 200);
    assert.deepEqual(me.body.user, user);
    const users = await s.api('GET', '/api/users', { token: jwt });
    assert.equal(users.status, 200);
    // The CR of a CRLF line end is not part of the password.
    const login = await s.api('POST', '/api/auth/login', { json: { login: 'plain', password: 'another-password' } });
    assert.equal(login.status, 200);
    const loginAdmin = await s.api('POST', '/api/auth/login', { json: { login: 'admin@example.com', password: 'a-long-password' } });
    assert.equal(loginAdmin.status, 200);
    assert.equal(loginAdmin.body.user.role, 'admin');
  } finally {
    await s.stop();
  }
});

test('user add works while a server runs on the same database', async () => {
  const s = fresh();
  await s.start();
  try {
    const before = await s.register('early');
    const add = await s.cli(['user', 'add', '--username', 'late', '--email', 'late@example.com', '--password-stdin'],
      { input: 'late-password\n' });
    assert.equal(add.code, 0, add.stderr);
    const login = await s.api('POST', '/api/auth/login', { json: { login: 'late', password: 'late-password' } });
    assert.equal(login.status, 200);
    assert.notEqual(login.body.user.id, before.id);
    const token = (await s.cli(['token', '--username', 'early'])).stdout.trim();
    assert.equal((await s.api('GET', '/api/auth/me', { token })).body.user.id, before.id);
  } finally {
    await s.stop();
  }
});

test('user add refuses duplicates, bad roles, bad names and empty passwords', async () => {
  const s = fresh();
  const add = (args, input = 'good-password\n') => s.cli(['user', 'add', ...args], { input });
  assert.equal((await add(['--username', 'taken', '--email', 'taken@example.com', '--password-stdin'])).code, 0);
  const cases = [
    [['--username', 'TAKEN', '--email', 'other@example.com', '--password-stdin'], 1, /taken/i],
    [['--username', 'other', '--email', 'Taken@Example.com', '--password-stdin'], 1, /taken/i],
    [['--username', 'bob', '--email', 'bob@example.com', '--role', 'root', '--password-stdin'], 2, /--role must be admin or user/],
    [['--username', 'bob', '--email', 'bob@example.com', '--password-stdin'], 2, /password must be at least 8 characters/, ''],
    [['--username', 'bob', '--email', 'bob@example.com', '--password-stdin'], 2, /password must be at least 8 characters/, '\n'],
    [['--username', 'bob', '--email', 'bob@example.com', '--password-stdin'], 2, /password must be at least 8 characters/, 'short\n'],
    [['--username', 'bob', '--email', 'bob@example.com'], 2, /--password-stdin is required/],
    [['--username', 'b!', '--email', 'bob@example.com', '--password-stdin'], 2, /--username must be 3-32 characters/],
    [['--username', 'bob', '--email', 'not-an-email', '--password-stdin'], 2, /--email must be a valid email address/],
    [['--email', 'bob@example.com', '--password-stdin'], 106, /--username is required/],
  ];
  for (const [args, code, message, input] of cases) {
    const r = await add(args, input);
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.equal(r.stdout, '', args.join(' '));
  }
  // Nothing of the refused ones was stored.
  for (const name of ['other', 'bob']) {
    const t = await s.cli(['token', '--username', name]);
    assert.equal(t.code, 1, name);
  }
});

test('token fails for an unknown user and without a secret', async () => {
  const s = fresh();
  await s.cli(['migrate']);
  const unknown = await s.cli(['token', '--username', 'ghost']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no user named ghost/);
  assert.equal(unknown.stdout, '');
  const noSecret = await s.cli(['token', '--username', 'ghost'], { env: { JWT_SECRET: '' } });
  assert.equal(noSecret.code, 2);
  assert.match(noSecret.stderr, /JWT_SECRET must be set/);
});

test('a flag beats its environment variable', async () => {
  const s = fresh();
  await s.createUser({ username: 'flaggy' });
  const fromEnv = await s.cli(['token', '--username', 'flaggy'], { env: { JWT_EXPIRES_IN: '100' } });
  assert.equal(claimsOf(fromEnv.stdout.trim()).exp - claimsOf(fromEnv.stdout.trim()).iat, 100);
  const fromFlag = await s.cli(['token', '--username', 'flaggy', '--jwt-expires-in', '200'], { env: { JWT_EXPIRES_IN: '100' } });
  assert.equal(fromFlag.code, 0, fromFlag.stderr);
  assert.equal(claimsOf(fromFlag.stdout.trim()).exp - claimsOf(fromFlag.stdout.trim()).iat, 200);
  // A bad value in the environment is never read when the flag is given.
  const port = await s.cli(['migrate', '--port', '0'], { env: { PORT: 'not-a-port' } });
  assert.equal(port.code, 0, port.stderr);
  // The flag's secret signs: a token from --jwt-secret is refused by a server on the env secret.
  const other = await s.cli(['token', '--username', 'flaggy', '--jwt-secret', 'flag-secret']);
  await s.start({ args: ['--port', '0', '--host', '127.0.0.1'] });
  try {
    assert.equal((await s.api('GET', '/api/auth/me', { token: fromEnv.stdout.trim() })).status, 200);
    assert.equal((await s.api('GET', '/api/auth/me', { token: other.stdout.trim() })).status, 401);
  } finally {
    await s.stop();
  }
  // serve --port beats PORT: PORT=1 would need privileges it does not have.
  const t = fresh({ PORT: '1' });
  await t.start({ args: ['--port', '0'] });
  try {
    assert.notEqual(t.port, 1);
    assert.equal((await t.api('GET', '/healthz')).status, 200);
  } finally {
    await t.stop();
  }
});

test('each bad setting is refused with a message naming it and a non-zero exit', async () => {
  const s = fresh();
  const cases = [
    ['PORT', 'abc', 'PORT (--port) must be an integer from 0 to 65535, got "abc"'],
    ['PORT', '70000', 'PORT (--port) must be an integer from 0 to 65535'],
    ['DATABASE_URL', 'mysql://db', 'DATABASE_URL (--database-url) must be sqlite:PATH or postgres://'],
    ['REDIS_URL', 'localhost:6379', 'REDIS_URL (--redis-url) must start with redis://'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL (--log-level) must be debug, info, warn or error, got "loud"'],
    ['JWT_EXPIRES_IN', '12h', 'JWT_EXPIRES_IN (--jwt-expires-in) must be an integer'],
    ['THREADS', '-1', 'THREADS (--threads) must be an integer from 0 to 256'],
    ['HTTP_HEADER_TIMEOUT_MS', '0', 'HTTP_HEADER_TIMEOUT_MS (--http-header-timeout-ms) must be an integer from 1'],
    ['BODY_LIMIT', '1MB', 'BODY_LIMIT (--body-limit) must be an integer'],
    ['TRUST_PROXY', 'maybe', 'TRUST_PROXY (--trust-proxy) must be 0 or 1, got "maybe"'],
    ['RATE_LIMIT_PER_MIN', '-5', 'RATE_LIMIT_PER_MIN (--rate-limit-per-min) must be a number from 0'],
    ['PRESENT_MIN_PERCENT', '150', 'PRESENT_MIN_PERCENT (--present-min-percent) must be a number from 0 to 100'],
    ['SOCKETIO_PING_INTERVAL_MS', 'often', 'SOCKETIO_PING_INTERVAL_MS (--socketio-ping-interval-ms) must be an integer'],
    ['PASSWORD_HASH_CONCURRENCY', '0', 'PASSWORD_HASH_CONCURRENCY (--password-hash-concurrency) must be an integer from 1 to 64'],
  ];
  for (const [env, value, message] of cases) {
    for (const command of [['serve'], ['migrate'], ['token', '--username', 'x']]) {
      const r = await s.cli(command, { env: { [env]: value } });
      assert.equal(r.code, 2, `${env}=${value} ${command[0]}: ${r.stderr}`);
      assert.ok(r.stderr.includes(`headcount: ${message}`), `${env}=${value}: ${r.stderr}`);
    }
    const flagged = await s.cli(['serve', `${flagOf(env)}=${value}`]);
    assert.equal(flagged.code, 2, `${flagOf(env)}=${value}`);
    assert.ok(flagged.stderr.includes(message), `${flagOf(env)}=${value}: ${flagged.stderr}`);
  }
});

test('serve without JWT_SECRET refuses to start unless HEADCOUNT_ENV=development', async () => {
  const s = fresh({ JWT_SECRET: '' });
  const refused = await s.cli(['serve']);
  assert.equal(refused.code, 1);
  const line = refused.stderr.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((l) => l.level === 'error');
  assert.ok(line, refused.stderr);
  assert.match(line.msg, /JWT_SECRET is not set; refusing to start/);

  for (const env of [{ HEADCOUNT_ENV: 'development' }, { NODE_ENV: 'development' }]) {
    const dev = fresh({ JWT_SECRET: '', LOG_LEVEL: '', ...env });
    await dev.start();
    try {
      assert.ok(dev.lines.some((l) => l.level === 'warn' && /JWT_SECRET is not set/.test(l.msg)), dev.logText());
      // The random secret signs and verifies.
      const user = await dev.register('devuser');
      assert.equal((await dev.api('GET', '/api/auth/me', { token: user.token })).status, 200);
    } finally {
      await dev.stop();
    }
  }
});

test('the database folder is created on first start', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'headcount-cli-'));
  dirs.push(dir);
  const s = new Server({ dir, env: { DATABASE_URL: `sqlite:${path.join(dir, 'nested', 'deeper', 'h.db')}` } });
  const r = await s.cli(['migrate']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /applied migrations 1/);
});
