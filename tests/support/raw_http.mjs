// HTTP/1.1 over a bare TCP socket, for what fetch cannot do: pipelining, byte-by-byte
// writes, watching when the server closes the connection.
import net from 'node:net';
import { once } from 'node:events';

export class RawConnection {
  constructor(port) {
    this.socket = net.connect({ host: '127.0.0.1', port });
    this.buffer = Buffer.alloc(0);
    this.closed = false;
    this.waiters = [];
    this.socket.on('data', (d) => { this.buffer = Buffer.concat([this.buffer, d]); this.wake(); });
    this.socket.on('close', () => { this.closed = true; this.closedAt = Date.now(); this.wake(); });
    this.socket.on('error', (e) => { this.error = e; });
    this.ready = once(this.socket, 'connect');
  }

  wake() {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  changed() {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  write(data) {
    return new Promise((resolve, reject) => this.socket.write(data, (e) => (e ? reject(e) : resolve())));
  }

  /// The next complete response (Content-Length bodies), or null when the server closed first.
  async response({ timeoutMs = 15000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const parsed = parseResponse(this.buffer);
      if (parsed) {
        this.buffer = this.buffer.subarray(parsed.size);
        return parsed.response;
      }
      if (this.closed) return null;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no response within ${timeoutMs} ms; have ${JSON.stringify(this.buffer.toString())}`);
      let timer;
      await Promise.race([this.changed(), new Promise((r) => { timer = setTimeout(r, left); })]);
      clearTimeout(timer);
    }
  }

  /// Resolves when the server has closed the connection (or after timeoutMs with false).
  async waitClosed(timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let timer;
      await Promise.race([this.changed(), new Promise((r) => { timer = setTimeout(r, left); })]);
      clearTimeout(timer);
    }
    return true;
  }

  destroy() {
    this.socket.destroy();
  }
}

/// One response at the start of `buf`: {response: {status, headers, body, text}, size}, or null.
export function parseResponse(buf) {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const head = buf.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(head[0].split(' ')[1]);
  const headers = {};
  for (const line of head.slice(1)) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? 0);
  if (buf.length < end + 4 + length) return null;
  const text = buf.subarray(end + 4, end + 4 + length).toString('utf8');
  let body;
  try { body = JSON.parse(text); } catch { body = undefined; }
  return { response: { status, headers, text, body }, size: end + 4 + length };
}

export function request(method, path, { headers = {}, body } = {}) {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1'];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  if (body !== undefined) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body ?? ''}`;
}

/// Whether a new TCP connection to the port is refused.
export function connectionRefused(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.on('connect', () => { s.destroy(); resolve(false); });
    s.on('error', (e) => resolve(e.code === 'ECONNREFUSED'));
  });
}
