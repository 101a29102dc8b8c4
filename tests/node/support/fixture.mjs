// Starts build/socketio-conformance (the realtime library as the protocol suites expect it:
// echo app at /engine.io/, test app at /socket.io/, 300/200 ms heartbeats) on a free
// loopback port, and gives raw Engine.IO/Socket.IO wire helpers for the protocol tests.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import WebSocket from 'ws';

export const FIXTURE_BIN = process.env.SOCKETIO_CONFORMANCE_BIN
  || path.resolve(import.meta.dirname, '../../../build/socketio-conformance');

export const PING_INTERVAL = 300;
export const PING_TIMEOUT = 200;

export class Fixture {
  async start() {
    this.proc = spawn(FIXTURE_BIN, ['--port', '0', '--threads', process.env.FIXTURE_THREADS || '2'],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    this.exited = once(this.proc, 'exit');
    this.log = '';
    const port = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fixture did not start:\n${this.log}`)), 10000);
      this.proc.stderr.on('data', (chunk) => {
        this.log += chunk;
        const m = this.log.match(/"msg":"listening".*"port":(\d+)/);
        if (m) { clearTimeout(timer); resolve(Number(m[1])); }
      });
      this.proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`fixture exited ${code}:\n${this.log}`)); });
    });
    this.port = port;
    this.http = `http://127.0.0.1:${port}`;
    this.ws = `ws://127.0.0.1:${port}`;
    return this;
  }

  /// Whether the process is still running (it must survive every malformed input).
  alive() { return this.proc.exitCode === null && this.proc.signalCode === null; }

  /// Stops it; fails when it did not exit cleanly or a sanitizer reported anything.
  async stop() {
    if (this.alive()) this.proc.kill('SIGTERM');
    const [code] = await this.exited;
    if (code !== 0 || /Sanitizer|runtime error:/.test(this.log)) {
      throw new Error(`fixture exited with ${code}:\n${this.log.slice(-4000)}`);
    }
  }
}

/// A GET or POST; the body text, status and headers.
export async function request(url, { method = 'GET', body, headers, signal } = {}) {
  const res = await fetch(url, { method, body, headers, signal });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/// Opens a polling session; returns its sid and the decoded open packet.
export async function openPolling(base, app = '/engine.io/') {
  const r = await request(`${base}${app}?EIO=4&transport=polling`);
  if (r.status !== 200 || r.text[0] !== '0') throw new Error(`handshake failed: ${r.status} ${r.text}`);
  const open = JSON.parse(r.text.slice(1));
  return { sid: open.sid, open, url: `${base}${app}?EIO=4&transport=polling&sid=${open.sid}` };
}

/// A raw WebSocket whose messages are awaited one by one (text as strings, binary as Buffers).
export class Wire {
  constructor(url, options = {}) {
    this.socket = new WebSocket(url, options);
    this.socket.binaryType = 'nodebuffer';
    this.messages = [];
    this.waiters = [];
    this.error = null;
    this.socket.on('message', (data, isBinary) => this.push(isBinary ? Buffer.from(data) : data.toString()));
    this.socket.on('error', (e) => { this.error = e; });
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', resolve);
      this.socket.once('error', reject);
      this.socket.once('unexpected-response', (req, res) => {
        let body = '';
        res.on('data', (d) => { body += d; });
        res.on('end', () => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode, body })));
      });
    });
    this.opened.catch(() => {});
    this.closed = new Promise((resolve) => {
      this.socket.once('close', (code, reason) => resolve({ code, reason: reason.toString(), at: performance.now() }));
    });
  }

  push(m) {
    const w = this.waiters.shift();
    if (w) w(m); else this.messages.push(m);
  }

  /// The next message, or an error after `ms`.
  next(ms = 2000) {
    if (this.messages.length) return Promise.resolve(this.messages.shift());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(done), 1);
        reject(new Error(`no message within ${ms} ms`));
      }, ms);
      const done = (m) => { clearTimeout(timer); resolve(m); };
      this.waiters.push(done);
    });
  }

  /// The next message that is not a ping.
  async nextNonPing(ms = 2000) {
    for (;;) {
      const m = await this.next(ms);
      if (m !== '2') return m;
    }
  }

  /// Nothing arrives within `ms` (apart from pings when `pings` is true).
  async silent(ms, { pings = false } = {}) {
    const end = performance.now() + ms;
    for (;;) {
      const left = end - performance.now();
      if (left <= 0) return;
      let m;
      try { m = await this.next(left); } catch { return; }
      if (!(pings && m === '2')) throw new Error(`unexpected message ${JSON.stringify(m)}`);
    }
  }

  send(data) { this.socket.send(data); }

  /// Resolves with the close event, or fails after `ms`.
  closedWithin(ms) {
    return Promise.race([
      this.closed,
      new Promise((_, reject) => setTimeout(() => reject(new Error(`not closed within ${ms} ms`)), ms)),
    ]);
  }

  close() { this.socket.terminate(); }
}

/// A WebSocket straight to Engine.IO; resolves after its open packet.
export async function openWire(base, app = '/engine.io/', query = '') {
  const wire = new Wire(`${base}${app}?EIO=4&transport=websocket${query}`);
  const open = await wire.next();
  if (open[0] !== '0') throw new Error(`expected the open packet, got ${open}`);
  wire.open = JSON.parse(open.slice(1));
  return wire;
}

/// A WebSocket connected to the Socket.IO namespace `/` (CONNECT answered, `auth` event read).
export async function connectSocketIO(base) {
  const wire = await openWire(base, '/socket.io/');
  wire.send('40');
  const connect = await wire.next();
  if (!connect.startsWith('40{')) throw new Error(`expected CONNECT, got ${connect}`);
  wire.sid = JSON.parse(connect.slice(2)).sid;
  const auth = await wire.next();
  if (auth !== '42["auth",{}]') throw new Error(`expected the auth event, got ${auth}`);
  return wire;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
