// Malformed input at every layer (HTTP, WebSocket frames, Engine.IO, Socket.IO): each gets
// the protocol's answer, and the server keeps serving everyone else.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import crypto from 'node:crypto';
import {
  Fixture, request, openPolling, openWire, connectSocketIO, sleep,
} from './support/fixture.mjs';

const fixture = new Fixture();
let healthy;
before(async () => {
  await fixture.start();
  // One well-behaved client is connected all along and must be served at the end.
  healthy = await connectSocketIO(fixture.ws);
  healthy.socket.on('message', (data, isBinary) => { if (!isBinary && data.toString() === '2') healthy.send('3'); });
});
after(async () => {
  healthy.close();
  await fixture.stop();
});

/// A WebSocket spoken byte by byte: the upgrade request, then hand-made frames.
async function rawSocket(app = '/engine.io/') {
  const socket = net.connect(fixture.port, '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  const key = crypto.randomBytes(16).toString('base64');
  socket.write(`GET ${app}?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n`
    + `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  let data = Buffer.alloc(0);
  const chunks = [];
  let closed = false;
  socket.on('data', (d) => { data = Buffer.concat([data, d]); chunks.push(d); });
  socket.on('close', () => { closed = true; });
  socket.on('error', () => {});
  const until = async (check, ms = 2000) => {
    const end = Date.now() + ms;
    while (!check()) {
      if (Date.now() > end) throw new Error(`timed out; got ${data.toString('latin1')}`);
      await sleep(5);
    }
  };
  await until(() => data.includes('\r\n\r\n'));
  const head = data.subarray(0, data.indexOf('\r\n\r\n') + 4).toString();
  assert.match(head, /^HTTP\/1\.1 101/);
  data = data.subarray(data.indexOf('\r\n\r\n') + 4);
  return {
    socket,
    /// Server frames received so far: [{fin, op, payload}].
    frames() {
      const out = [];
      let p = 0;
      while (p + 2 <= data.length) {
        let len = data[p + 1] & 0x7f;
        let h = 2;
        if (len === 126) { len = data.readUInt16BE(p + 2); h = 4; }
        if (p + h + len > data.length) break;
        out.push({ fin: (data[p] & 0x80) !== 0, op: data[p] & 0x0f, payload: data.subarray(p + h, p + h + len) });
        p += h + len;
      }
      return out;
    },
    closed: () => closed,
    until,
  };
}

function frame(op, payload, { mask = true, fin = true, rsv = 0 } = {}) {
  const body = Buffer.from(payload);
  const len = body.length;
  const head = [((fin ? 0x80 : 0) | rsv | op), (mask ? 0x80 : 0) | (len < 126 ? len : 126)];
  if (len >= 126) head.push(len >> 8, len & 0xff);
  const key = crypto.randomBytes(4);
  const masked = Buffer.from(body);
  if (mask) for (let i = 0; i < masked.length; i++) masked[i] ^= key[i & 3];
  return Buffer.concat([Buffer.from(head), mask ? key : Buffer.alloc(0), masked]);
}

/// Expects a close frame with `code`, then the TCP connection to end.
async function expectClose(raw, code) {
  await raw.until(() => raw.frames().some((f) => f.op === 8));
  const close = raw.frames().find((f) => f.op === 8);
  assert.equal(close.payload.readUInt16BE(0), code);
  await raw.until(() => raw.closed());
}

describe('WebSocket frames', () => {
  test('an unmasked client frame → close 1002', async () => {
    const raw = await rawSocket();
    raw.socket.write(frame(1, '4hi', { mask: false }));
    await expectClose(raw, 1002);
  });

  test('reserved bits (no extension negotiated) → close 1002', async () => {
    const raw = await rawSocket();
    raw.socket.write(frame(1, '4hi', { rsv: 0x40 }));
    await expectClose(raw, 1002);
  });

  test('an unknown opcode → close 1002', async () => {
    const raw = await rawSocket();
    raw.socket.write(frame(3, 'x'));
    await expectClose(raw, 1002);
  });

  test('a fragmented ping → close 1002', async () => {
    const raw = await rawSocket();
    raw.socket.write(frame(9, 'p', { fin: false }));
    await expectClose(raw, 1002);
  });

  test('a continuation with no message started → close 1002', async () => {
    const raw = await rawSocket();
    raw.socket.write(frame(0, 'x'));
    await expectClose(raw, 1002);
  });

  test('a text frame that is not UTF-8 → close 1007', async () => {
    const raw = await rawSocket();
    raw.socket.write(frame(1, Buffer.from([0x34, 0xc3, 0x28])));
    await expectClose(raw, 1007);
  });

  test('a message over maxPayload → close 1009, even announced before its bytes', async () => {
    const raw = await rawSocket();
    const head = Buffer.from([0x81, 0x80 | 127, 0, 0, 0, 0, 0, 0x10, 0, 0, 1, 2, 3, 4]);
    raw.socket.write(head);
    await expectClose(raw, 1009);
  });

  test('fragments adding up past maxPayload → close 1009', async () => {
    const raw = await rawSocket();
    const part = '4'.padEnd(60000, 'x');
    for (let i = 0; i < 17; i++) raw.socket.write(frame(i === 0 ? 1 : 0, part, { fin: false }));
    await expectClose(raw, 1009);
  });

  test('a fragmented message, split across TCP writes byte by byte, is reassembled', async () => {
    const raw = await rawSocket();
    const bytes = Buffer.concat([frame(1, '4hel', { fin: false }), frame(9, 'ping!'), frame(0, 'lo')]);
    for (const b of bytes) { raw.socket.write(Buffer.from([b])); await sleep(1); }
    await raw.until(() => raw.frames().some((f) => f.op === 1 && f.payload.toString() === '4hello'));
    const pong = raw.frames().find((f) => f.op === 10);
    assert.equal(pong.payload.toString(), 'ping!');
    raw.socket.destroy();
  });

  test('a close frame is answered with the same code, then the connection ends', async () => {
    const raw = await rawSocket();
    raw.socket.write(frame(8, Buffer.from([0x0f, 0xa0])));
    await expectClose(raw, 4000);
  });

  test('a one-byte close payload → close 1002', async () => {
    const raw = await rawSocket();
    raw.socket.write(frame(8, Buffer.from([1])));
    await expectClose(raw, 1002);
  });

  test('a handshake without Sec-WebSocket-Key is refused by the WebSocket layer', async () => {
    const socket = net.connect(fixture.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.write('GET /engine.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n');
    const answer = await new Promise((r) => socket.once('data', (d) => r(d.toString())));
    assert.match(answer, /^HTTP\/1\.1 400/);
    socket.destroy();
  });
});

describe('Engine.IO and HTTP', () => {
  test('a POST body over maxPayload → 413, and the session is gone', async () => {
    const { url } = await openPolling(fixture.http);
    const r = await request(url, { method: 'POST', body: `4${'x'.repeat(1000001)}` });
    assert.equal(r.status, 413);
    assert.equal((await request(url)).status, 400);
  });

  test('a POST of exactly maxPayload bytes is accepted', async () => {
    const { url } = await openPolling(fixture.http);
    const body = `4${'y'.repeat(999999)}`;
    assert.equal((await request(url, { method: 'POST', body })).status, 200);
    assert.equal((await request(url)).text.length, 1000000);
  });

  test('a binary (octet-stream) POST → 400, and the session is gone', async () => {
    const { url } = await openPolling(fixture.http);
    const r = await request(url, { method: 'POST', body: '4hi', headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(r.status, 400);
    assert.equal((await request(url)).status, 400);
  });

  const badBodies = ['', 'x', '4ok\x1e', '7hello', 'b!!!!', 'bAQI'];
  for (const body of badBodies) {
    test(`POST ${JSON.stringify(body)} → 400, and the session is gone`, async () => {
      const { url } = await openPolling(fixture.http);
      const r = await request(url, { method: 'POST', body });
      assert.equal(r.status, 400);
      assert.deepEqual(JSON.parse(r.text), { code: 3, message: 'Bad request' });
      assert.equal((await request(url)).status, 400);
    });
  }

  test('a polling request for a WebSocket session → 400 code 3', async () => {
    const wire = await openWire(fixture.ws);
    const r = await request(`${fixture.http}/engine.io/?EIO=4&transport=polling&sid=${wire.open.sid}`);
    assert.equal(r.status, 400);
    assert.deepEqual(JSON.parse(r.text), { code: 3, message: 'Bad request' });
    wire.send('4still');
    assert.equal(await wire.nextNonPing(), '4still');
    wire.close();
  });

  test('wrong sids, wrong EIO versions and odd methods with a sid', async () => {
    const { url, sid } = await openPolling(fixture.http);
    for (const q of [`sid=${sid}x`, `sid=${sid.slice(1)}`, 'sid=', `sid=${encodeURIComponent('../../etc')}`]) {
      const r = await request(`${fixture.http}/engine.io/?EIO=4&transport=polling&${q}`);
      assert.equal(r.status, 400, q);
    }
    for (const eio of ['2', '5', '4.0', ' 4', '']) {
      const r = await request(`${fixture.http}/engine.io/?EIO=${encodeURIComponent(eio)}&transport=polling`);
      assert.deepEqual(JSON.parse(r.text).code, 5, eio);
    }
    assert.equal((await request(url, { method: 'DELETE' })).status, 400);
    assert.equal((await request(url, { method: 'POST', body: '4alive' })).text, 'ok');
    // (the fixture's first ping, 300 ms after the handshake, may come along on a slow machine)
    assert.deepEqual((await request(url)).text.split('\x1e').filter((p) => p !== '2'), ['4alive']);
  });

  test('a malformed HTTP request under the prefix closes only that connection', async () => {
    const socket = net.connect(fixture.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.write('GET /socket.io/?EIO=4 HTTP/1.1\r\nHost x\r\n\r\n');
    const answer = await new Promise((r) => { socket.once('data', (d) => r(d.toString())); socket.once('close', () => r('closed')); });
    assert.ok(answer === 'closed' || /^HTTP\/1\.1 400/.test(answer), answer);
    socket.destroy();
  });
});

describe('Socket.IO', () => {
  test('a flood of bad packets from many connections leaves the server unharmed', async () => {
    const bad = ['4abc', '42{}', '42abc[]', '4', '49', '42["connect"]', '40[]', '46-[]', '451-"x"', '42[', '4\u0000', '41{"a"'];
    await Promise.all(bad.map(async (packet) => {
      const wire = await connectSocketIO(fixture.ws);
      wire.send(packet);
      await wire.closedWithin(1000);
    }));
    assert.ok(fixture.alive());
  });

  test('deeply nested JSON is refused, not crashed on', async () => {
    const wire = await connectSocketIO(fixture.ws);
    wire.send(`42["message",${'['.repeat(100000)}${']'.repeat(100000)}]`);
    await wire.closedWithin(2000);
    assert.ok(fixture.alive());
  });

  test('the well-behaved client was served all along', async () => {
    healthy.send('42["message","still fine"]');
    assert.equal(await healthy.nextNonPing(), '42["message-back","still fine"]');
  });
});
