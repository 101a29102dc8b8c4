// socket.io-client helpers for the product's real-time tests.
import net from 'node:net';
import { io } from 'socket.io-client';
import { Server } from '../../support/server.mjs';

export const EVENTS = [
  'userJoinedMeeting', 'userLeftMeeting', 'participantLinked', 'attendanceDataFetched',
  'meetingSessionsEnded', 'zoomParticipantJoined', 'zoomParticipantLeft',
];

/// A connected socket.io-client socket; rejects with the connect_error.
export function connect(url, options = {}) {
  const socket = io(url, { reconnection: false, forceNew: true, timeout: 5000, ...options });
  socket.received = [];
  socket.io.once('open', () => { socket.firstTransport = socket.io.engine.transport.name; });
  for (const name of EVENTS) socket.on(name, (payload) => socket.received.push({ name, payload }));
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (e) => { socket.close(); reject(e); });
  });
}

/// Waits until `socket.received` holds an event matching `match`; returns it.
export async function expectEvent(socket, match, ms = 3000) {
  const end = Date.now() + ms;
  for (;;) {
    const found = socket.received.find(match);
    if (found) return found;
    if (Date.now() > end) throw new Error(`no matching event within ${ms} ms; got ${JSON.stringify(socket.received)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/// Resolves with `fn()`'s first truthy value, asked every 10 ms; fails after `ms`. For state
/// a test can only see by asking, such as a metric.
export async function until(what, fn, ms = 3000) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) throw new Error(`not ${what} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/// A round trip through `socket`'s session (an invalid subscribe, which changes nothing):
/// whatever the server had sent it before is in `socket.received` when this resolves.
export async function roundTrip(socket) {
  const answer = await socket.timeout(3000).emitWithAck('subscribe', {});
  if (answer?.code !== 'validation_failed' && answer?.code !== 'forbidden') throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
}

/// Resolves once `emitter` emits `name`, or rejects after `ms`.
export function eventually(emitter, name, ms = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${name} within ${ms} ms`)), ms);
    emitter.once(name, (...args) => { clearTimeout(timer); resolve(args); });
  });
}

/// A TCP relay in front of the server whose connections can be cut, to drop a client's
/// network for a while as a flaky Wi-Fi would.
export class Relay {
  constructor(targetPort) {
    this.targetPort = targetPort;
    this.sockets = new Set();
    this.refusing = false;
    this.server = net.createServer((client) => {
      if (this.refusing) { client.destroy(); return; }
      const upstream = net.connect(this.targetPort, '127.0.0.1');
      this.sockets.add(client);
      this.sockets.add(upstream);
      const drop = () => { client.destroy(); upstream.destroy(); this.sockets.delete(client); this.sockets.delete(upstream); };
      client.on('error', drop); upstream.on('error', drop); client.on('close', drop); upstream.on('close', drop);
      client.pipe(upstream);
      upstream.pipe(client);
    });
  }

  async start() {
    await new Promise((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${this.server.address().port}`;
    return this;
  }

  /// Cuts every relayed connection and refuses new ones until restore().
  cut() {
    this.refusing = true;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  restore() { this.refusing = false; }

  async stop() {
    this.cut();
    await new Promise((r) => this.server.close(r));
  }
}

/// The value of one metric line in Prometheus text (null when absent).
export function metric(text, name) {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : null;
}

/// Stops `server` and fails when it did not exit 0 or a sanitizer reported anything.
export async function stopClean(server) {
  const { code } = await server.stop();
  const text = server.logText();
  if (code !== 0 || /Sanitizer|runtime error:/.test(text)) throw new Error(`server exited with ${code}:\n${text.slice(-4000)}`);
}

/// Starts a server, runs fn(server), then stops it cleanly (stopClean) and removes its files.
export async function withCleanServer(options, fn) {
  const server = new Server(options);
  try {
    await server.start();
    await fn(server);
    await stopClean(server);
  } finally {
    await server.cleanup();
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
