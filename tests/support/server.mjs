// Starts the real headcount binary on a free loopback port with its own database in a
// temporary folder, and talks to it over HTTP. Used by every black-box test.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';

export const BIN = process.env.HEADCOUNT_BIN || path.resolve(import.meta.dirname, '../../build/headcount');
/// The same binary plus the test control (src/test_control), for tests that move time.
export const TESTABLE_BIN = process.env.HEADCOUNT_TESTABLE_BIN
  || path.resolve(import.meta.dirname, '../../build/headcount-testable');

/// Rate limits are raised out of the way unless a test sets its own.
const DEFAULT_ENV = {
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: 'info',
  RATE_LIMIT_AUTH_PER_MIN: '1000000',
  RATE_LIMIT_AUTH_BURST: '1000000',
  RATE_LIMIT_ACCOUNT_PER_MIN: '1000000',
  RATE_LIMIT_REGISTER_PER_MIN: '1000000',
  RATE_LIMIT_PER_MIN: '1000000',
  RATE_LIMIT_BURST: '1000000',
};

/// A clock step must not cut off a request that happens to be half read at that moment, nor a
/// kept-alive connection undici is about to send on: on a testClock server the HTTP timeouts
/// are a day unless a test sets its own.
const NO_HTTP_TIMEOUTS = Object.fromEntries(['HEADER', 'IDLE', 'BODY'].map((t) => [`HTTP_${t}_TIMEOUT_MS`, String(24 * 3600 * 1000)]));

/// The PostgreSQL server to run on instead of SQLite, when one is given:
/// HEADCOUNT_TEST_DATABASE_URL, else the URL in the file HEADCOUNT_TEST_DATABASE_URL_FILE
/// (what the ctest fixture `postgres` writes).
export function testPostgresUrl() {
  if (process.env.HEADCOUNT_TEST_DATABASE_URL) return process.env.HEADCOUNT_TEST_DATABASE_URL;
  const file = process.env.HEADCOUNT_TEST_DATABASE_URL_FILE;
  return file ? readFileSync(file, 'utf8').trim() : undefined;
}

/// Runs SQL on the test PostgreSQL server with psql; throws when it fails.
export function psql(url, sql) {
  const r = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-Atqc', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
  return r.stdout.trim();
}

/// A database of its own on the test server for the folder `dir` (servers sharing a folder
/// share it, as they would share a SQLite file); its URL.
function postgresDatabaseFor(serverUrl, dir) {
  const name = `hc_${crypto.createHash('sha1').update(dir).digest('hex').slice(0, 20)}`;
  if (psql(serverUrl, `SELECT 1 FROM pg_database WHERE datname = '${name}'`) !== '1') {
    psql(serverUrl, `CREATE DATABASE ${name}`);
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

export class Server {
  /// `testClock`: run build/headcount-testable with HEADCOUNT_TEST_CLOCK=1, whose clocks only
  /// the test moves past real time (advanceClock).
  constructor({ env = {}, dir, testClock = false } = {}) {
    this.bin = testClock ? TESTABLE_BIN : BIN;
    this.dir = dir ?? mkdtempSync(path.join(tmpdir(), 'headcount-test-'));
    this.ownsDir = dir === undefined;
    const pgServer = env.DATABASE_URL === undefined ? testPostgresUrl() : undefined;
    if (pgServer) {
      this.postgres = { server: pgServer, ...postgresDatabaseFor(pgServer, this.dir) };
    }
    this.env = {
      ...DEFAULT_ENV,
      DATABASE_URL: this.postgres ? this.postgres.url : `sqlite:${path.join(this.dir, 'headcount.db')}`,
      JWT_SECRET: crypto.randomBytes(24).toString('hex'),
      ZOOM_WEBHOOK_SECRET_TOKEN: crypto.randomBytes(16).toString('hex'),
      ...(testClock ? { HEADCOUNT_TEST_CLOCK: '1', ...NO_HTTP_TIMEOUTS } : {}),
      ...env,
    };
    this.lines = [];
    this.lineWaiters = new Set();
    this.proc = null;
  }

  /// Environment for the binary: the process's PATH and friends plus the server's settings.
  processEnv(extra = {}) {
    const base = { PATH: process.env.PATH, HOME: process.env.HOME, ASAN_OPTIONS: process.env.ASAN_OPTIONS,
      UBSAN_OPTIONS: process.env.UBSAN_OPTIONS };
    for (const k of Object.keys(base)) if (base[k] === undefined) delete base[k];
    return { ...base, ...this.env, ...extra };
  }

  async start({ args = [], port } = {}) {
    const env = this.processEnv(port ? { PORT: String(port) } : {});
    this.proc = spawn(this.bin, ['serve', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.exited = once(this.proc, 'exit').then(([code, signal]) => ({ code, signal }));
    let buffered = '';
    let resolveListening;
    let startTimer;
    const listening = new Promise((resolve) => { resolveListening = resolve; });
    this.proc.stderr.on('data', (chunk) => {
      buffered += chunk.toString();
      let nl;
      while ((nl = buffered.indexOf('\n')) !== -1) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        let parsed = null;
        try { parsed = JSON.parse(line); } catch { /* not a log line (a sanitizer report) */ }
        this.lines.push(parsed ?? { raw: line });
        for (const wake of this.lineWaiters) wake();
        if (parsed && parsed.msg === 'listening') resolveListening(parsed.port);
      }
    });
    this.proc.stdout.resume();
    const result = await Promise.race([
      listening,
      this.exited.then(({ code }) => { throw new Error(`headcount exited with ${code} during start-up:\n${this.logText()}`); }),
      new Promise((_, reject) => {
        startTimer = setTimeout(() => reject(new Error(`no "listening" line in 20 s:\n${this.logText()}`)), 20000);
      }),
    ]).finally(() => clearTimeout(startTimer));
    this.port = result;
    this.url = `http://127.0.0.1:${this.port}`;
    return this;
  }

  logText() {
    return this.lines.map((l) => (l.raw !== undefined ? l.raw : JSON.stringify(l))).join('\n');
  }

  /// Log lines (parsed JSON) whose msg matches.
  logs(msg) {
    return this.lines.filter((l) => l.msg === msg);
  }

  /// Resolves with fn()'s first truthy value, tried now and after every new log line;
  /// rejects when none came within `ms`.
  async untilLogged(fn, ms = 10000) {
    let wake;
    let timer;
    try {
      const expired = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`not logged within ${ms} ms:\n${this.logText().slice(-3000)}`)), ms);
      });
      for (;;) {
        const value = fn();
        if (value) return value;
        const next = new Promise((resolve) => { wake = resolve; this.lineWaiters.add(resolve); });
        await Promise.race([next, expired]);
        this.lineWaiters.delete(wake);
      }
    } finally {
      clearTimeout(timer);
      this.lineWaiters.delete(wake);
    }
  }

  /// The `request` log line of a response (by its X-Request-Id), once written: the server
  /// logs and counts a request after its answer is on the wire.
  requestLogged(requestId, ms) {
    return this.untilLogged(() => this.logs('request').find((l) => l.requestId === requestId), ms);
  }

  /// Moves the server's clocks `ms` forward (testClock servers only); its timers due by then
  /// have been taken off Asio's queue when this resolves. The server's new time and shift.
  /// On a connection of its own: a pooled keep-alive one may be closed by the very timeouts
  /// the step makes due.
  async advanceClock(ms) {
    const body = JSON.stringify({ ms });
    const req = http.request(`${this.url}/__test/clock/advance`, {
      method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    req.end(body);
    const [res] = await once(req, 'response');
    let text = '';
    for await (const chunk of res) text += chunk;
    if (res.statusCode !== 200) throw new Error(`advancing the clock failed: ${res.statusCode} ${text}`);
    return JSON.parse(text);
  }

  /// One HTTP request. `json` is sent as application/json; `body` as is.
  async api(method, urlPath, { token, json, body, headers = {}, signal } = {}) {
    const h = { ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    let payload = body;
    if (json !== undefined) {
      h['content-type'] ??= 'application/json';
      payload = JSON.stringify(json);
    }
    const res = await fetch(this.url + urlPath, { method, headers: h, body: payload, signal });
    const text = await res.text();
    let parsed;
    try { parsed = JSON.parse(text); } catch { parsed = undefined; }
    return { status: res.status, headers: res.headers, body: parsed, text };
  }

  /// Runs a CLI command of the binary against this server's database and settings.
  cli(args, { input, env = {} } = {}) {
    return runCli(args, { input, env: this.processEnv(env) });
  }

  async createUser({ username, email = `${username}@example.com`, role = 'user', password = 'correct-horse' }) {
    const r = await this.cli(['user', 'add', '--username', username, '--email', email, '--role', role,
      '--password-stdin'], { input: `${password}\n` });
    if (r.code !== 0) throw new Error(`user add failed: ${r.stderr}`);
    const user = JSON.parse(r.stdout);
    const token = (await this.cli(['token', '--username', username])).stdout.trim();
    return { ...user, token, password };
  }

  /// A user registered through the API (argon2id hash and all), with its token.
  async register(username, { email = `${username}@example.com`, password = 'correct-horse' } = {}) {
    const r = await this.api('POST', '/api/auth/register', { json: { username, email, password } });
    if (r.status !== 201) throw new Error(`register failed: ${r.status} ${r.text}`);
    return { ...r.body.user, token: r.body.token, password };
  }

  async stop(signal = 'SIGTERM') {
    if (!this.proc || this.proc.exitCode !== null || this.proc.signalCode !== null) return this.exited;
    this.proc.kill(signal);
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error('headcount did not exit within 15 s')), 15000);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async cleanup() {
    await this.stop('SIGKILL').catch(() => {});
    if (this.ownsDir) {
      rmSync(this.dir, { recursive: true, force: true });
      if (this.postgres) psql(this.postgres.server, `DROP DATABASE IF EXISTS ${this.postgres.name} WITH (FORCE)`);
    }
  }
}

export function runCli(args, { input, env }) {
  return new Promise((resolve) => {
    const proc = spawn(BIN, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => { stdout += d; });
    proc.stderr.on('data', (d) => { stderr += d; });
    proc.on('exit', (code) => resolve({ code, stdout, stderr }));
    if (input !== undefined) proc.stdin.end(input); else proc.stdin.end();
  });
}

/// Starts a server, runs fn(server), always cleans up.
export async function withServer(options, fn) {
  const server = new Server(options);
  try {
    await server.start();
    return await fn(server);
  } finally {
    await server.cleanup();
  }
}

/// An HS256 JWT signed with `secret` (for tokens the server would never issue).
export function signJwt(payload, secret, header = { alg: 'HS256', typ: 'JWT' }) {
  const b64 = (o) => Buffer.from(typeof o === 'string' ? o : JSON.stringify(o)).toString('base64url');
  const input = `${b64(header)}.${b64(payload)}`;
  const alg = header.alg === 'HS512' ? 'sha512' : 'sha256';
  const sig = header.alg === 'none' ? '' : crypto.createHmac(alg, secret).update(input).digest('base64url');
  return `${input}.${sig}`;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
