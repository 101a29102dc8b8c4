// Socket.IO v5 against the conformance fixture's test app: docs/SOCKETIO.md section 2, points
// S1-S13 (namespaces, CONNECT answers, events, acks, binary attachments, disconnects, the
// connection-closing violations, timing).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  Fixture, openWire, connectSocketIO, openPolling, request, sleep, PING_INTERVAL, PING_TIMEOUT,
} from './support/fixture.mjs';

const fixture = new Fixture();
before(() => fixture.start());
after(() => fixture.stop());

const connectReply = (text, nsp = '') => {
  const prefix = `40${nsp ? `${nsp},` : ''}`;
  assert.ok(text.startsWith(prefix), `${text} should start with ${prefix}`);
  return JSON.parse(text.slice(prefix.length));
};

describe('S1/S2/S6 namespaces and CONNECT', () => {
  const cases = [
    ['40', '', '42["auth",{}]'],
    ['40{"token":"123"}', '', '42["auth",{"token":"123"}]'],
    ['40/custom,', '/custom', '42/custom,["auth",{}]'],
    ['40/custom', '/custom', '42/custom,["auth",{}]'],
    ['40/custom,{"token":"abc"}', '/custom', '42/custom,["auth",{"token":"abc"}]'],
  ];
  for (const [packet, nsp, auth] of cases) {
    test(`${packet} → CONNECT with only sid, then ${auth}`, async () => {
      const wire = await openWire(fixture.ws, '/socket.io/');
      const sent = performance.now();
      wire.send(packet);
      const reply = connectReply(await wire.next(), nsp);
      assert.deepEqual(Object.keys(reply), ['sid']);
      assert.match(reply.sid, /^[A-Za-z0-9_-]{20}$/);
      assert.notEqual(reply.sid, wire.open.sid, 'the Socket.IO id is not the Engine.IO sid');
      assert.equal(await wire.next(), auth);
      assert.ok(performance.now() - sent < 100, 'answered within a few ms (S12)');
      wire.close();
    });
  }

  test('an unknown namespace is refused and the session stays usable', async () => {
    const wire = await openWire(fixture.ws, '/socket.io/');
    wire.send('40/random');
    assert.equal(await wire.next(), '44/random,{"message":"Invalid namespace"}');
    wire.send('40/random,{"a":1}');
    assert.equal(await wire.next(), '44/random,{"message":"Invalid namespace"}');
    wire.send('40');
    connectReply(await wire.next());
    assert.equal(await wire.next(), '42["auth",{}]');
    wire.close();
  });

  test('one session holds / and /custom at once, each with its own socket id', async () => {
    const wire = await connectSocketIO(fixture.ws);
    wire.send('40/custom,');
    const custom = connectReply(await wire.next(), '/custom');
    assert.notEqual(custom.sid, wire.sid);
    assert.equal(await wire.next(), '42/custom,["auth",{}]');
    wire.send('42["message","x"]');
    assert.equal(await wire.nextNonPing(), '42["message-back","x"]');
    wire.close();
  });

  test('polling carries Socket.IO too (CONNECT, auth, echo in one session)', async () => {
    const { url } = await openPolling(fixture.http, '/socket.io/');
    assert.equal((await request(url, { method: 'POST', body: '40\x1e42["message",7]' })).text, 'ok');
    const body = (await request(url)).text.split('\x1e');
    connectReply(body[0]);
    assert.deepEqual(body.slice(1), ['42["auth",{}]', '42["message-back",7]']);
  });
});

describe('S3/S4 events and acknowledgements', () => {
  test('message → message-back with byte-identical JSON', async () => {
    const wire = await connectSocketIO(fixture.ws);
    for (const args of ['1,"2",{"3":[true]}', '"é ✓",null,-0.5,1e+21,[],{}', '{"a":{"b":[1,{"c":"\\u0001\\""}]}}']) {
      wire.send(`42["message",${args}]`);
      assert.equal(await wire.nextNonPing(), `42["message-back",${args}]`);
    }
    wire.close();
  });

  test('message with two binary attachments → the same packet and buffers, in order', async () => {
    const wire = await connectSocketIO(fixture.ws);
    wire.send('452-["message",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]');
    wire.send(Buffer.from([1, 2, 3]));
    wire.send(Buffer.from([4, 5, 6]));
    assert.equal(await wire.nextNonPing(), '452-["message-back",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]');
    assert.deepEqual(await wire.nextNonPing(), Buffer.from([1, 2, 3]));
    assert.deepEqual(await wire.nextNonPing(), Buffer.from([4, 5, 6]));
    wire.close();
  });

  test('placeholders out of document order are renumbered and the buffers reordered', async () => {
    const wire = await connectSocketIO(fixture.ws);
    wire.send('452-["message",{"_placeholder":true,"num":1},{"x":{"_placeholder":true,"num":0}}]');
    wire.send(Buffer.from([10]));
    wire.send(Buffer.from([20]));
    assert.equal(await wire.nextNonPing(), '452-["message-back",{"_placeholder":true,"num":0},{"x":{"_placeholder":true,"num":1}}]');
    assert.deepEqual(await wire.nextNonPing(), Buffer.from([20]));
    assert.deepEqual(await wire.nextNonPing(), Buffer.from([10]));
    wire.close();
  });

  test('message-with-ack → ACK with the same id and arguments', async () => {
    const wire = await connectSocketIO(fixture.ws);
    wire.send('42456["message-with-ack",1,"2",{"3":[false]}]');
    assert.equal(await wire.nextNonPing(), '43456[1,"2",{"3":[false]}]');
    wire.send('420["message-with-ack"]');
    assert.equal(await wire.nextNonPing(), '430[]');
    wire.close();
  });

  test('binary message-with-ack → BINARY_ACK and the buffers', async () => {
    const wire = await connectSocketIO(fixture.ws);
    wire.send('452-789["message-with-ack",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]');
    wire.send(Buffer.from([1, 2, 3]));
    wire.send(Buffer.from([4, 5, 6]));
    assert.equal(await wire.nextNonPing(), '462-789[{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]');
    assert.deepEqual(await wire.nextNonPing(), Buffer.from([1, 2, 3]));
    assert.deepEqual(await wire.nextNonPing(), Buffer.from([4, 5, 6]));
    wire.close();
  });

  test('the server asks for an ack (ids from 1 per socket) and acts on the answer', async () => {
    const wire = await connectSocketIO(fixture.ws);
    wire.send('42["emit-with-ack",1,"2",{"3":[true]}]');
    assert.equal(await wire.nextNonPing(), '421["emit-with-ack",1,"2",{"3":[true]}]');
    wire.send('431[1,"2",{"3":[true]}]');
    assert.equal(await wire.nextNonPing(), '42["emit-with-ack",1,"2",{"3":[true]}]');
    wire.send('42["emit-with-ack",{"_placeholder":true,"num":0}]');
    await sleep(10);
    assert.ok(fixture.alive());
    wire.close();
  });

  test('a binary answer to the server\'s ack request', async () => {
    const wire = await connectSocketIO(fixture.ws);
    wire.send('451-["emit-with-ack",{"_placeholder":true,"num":0},"test"]');
    wire.send(Buffer.from([1]));
    assert.equal(await wire.nextNonPing(), '451-1["emit-with-ack",{"_placeholder":true,"num":0},"test"]');
    assert.deepEqual(await wire.nextNonPing(), Buffer.from([1]));
    wire.send('461-1[{"_placeholder":true,"num":0}]');
    wire.send(Buffer.from([2]));
    assert.equal(await wire.nextNonPing(), '451-["emit-with-ack",{"_placeholder":true,"num":0}]');
    assert.deepEqual(await wire.nextNonPing(), Buffer.from([2]));
    wire.close();
  });

  test('an ACK for no pending id, or without id, is ignored', async () => {
    const wire = await connectSocketIO(fixture.ws);
    wire.send('4399[1]');
    wire.send('43[1]');
    wire.send('42["message","still here"]');
    assert.equal(await wire.nextNonPing(), '42["message-back","still here"]');
    wire.close();
  });
});

describe('S9/S10 disconnect', () => {
  test('41 gets no answer; the next frame is the ping and the session stays open', async () => {
    const wire = await connectSocketIO(fixture.ws);
    wire.send('41');
    assert.equal(await wire.next(), '2');
    wire.send('3');
    wire.send('40');
    connectReply(await wire.next());
    assert.equal(await wire.next(), '42["auth",{}]');
    wire.close();
  });

  test('40/custom, 41/custom without commas; / keeps working', async () => {
    const wire = await connectSocketIO(fixture.ws);
    wire.send('40/custom');
    connectReply(await wire.nextNonPing(), '/custom');
    assert.equal(await wire.nextNonPing(), '42/custom,["auth",{}]');
    wire.send('41/custom');
    wire.send('42["message","message to main namespace",1,2]');
    assert.equal(await wire.nextNonPing(), '42["message-back","message to main namespace",1,2]');
    wire.close();
  });

  test('an event for a namespace left with 41 closes the connection', async () => {
    const wire = await connectSocketIO(fixture.ws);
    wire.send('40/custom,');
    connectReply(await wire.nextNonPing(), '/custom');
    await wire.nextNonPing();
    wire.send('41/custom,');
    wire.send('42/custom,["message"]');
    await wire.closedWithin(1000);
  });
});

describe('S7 violations close the connection', () => {
  const afterConnect = [
    ['an unknown packet type', '4abc'],
    ['a payload that is not an array', '42{}'],
    ['a non-numeric ack id', '42abc["message-with-ack",1,"2",{"3":[false]}]'],
    ['JSON that does not parse', '42["message",'],
    ['an empty event', '42[]'],
    ['a reserved event name', '42["disconnect"]'],
    ['an event name that is neither string nor number', '42[{"a":1}]'],
    ['a second CONNECT for the same namespace', '40'],
    ['a CONNECT_ERROR from the client', '44{"message":"x"}'],
    ['a DISCONNECT with a payload', '41{}'],
    ['a CONNECT with a non-object payload', '40/custom,[1]'],
    ['too many attachments', '4511-["message"]'],
    ['an attachment count without a dash', '452["message"]'],
    ['a type digit out of range', '47'],
  ];
  for (const [what, packet] of afterConnect) {
    test(`${what}: ${packet}`, async () => {
      const wire = await connectSocketIO(fixture.ws);
      wire.send(packet);
      await wire.closedWithin(1000);
      assert.ok(fixture.alive());
    });
  }

  const beforeConnect = [
    ['an invalid first packet', '4abc'],
    ['an event before CONNECT', '42["message"]'],
    ['an ACK before CONNECT', '430[]'],
    ['a DISCONNECT before CONNECT', '41'],
  ];
  for (const [what, packet] of beforeConnect) {
    test(`${what}: ${packet}`, async () => {
      const wire = await openWire(fixture.ws, '/socket.io/');
      wire.send(packet);
      await wire.closedWithin(1000);
    });
  }

  test('a text packet while attachments are expected', async () => {
    const wire = await connectSocketIO(fixture.ws);
    wire.send('451-["message",{"_placeholder":true,"num":0}]');
    wire.send('42["message"]');
    await wire.closedWithin(1000);
  });

  test('a binary message without a pending binary packet', async () => {
    const wire = await connectSocketIO(fixture.ws);
    wire.send(Buffer.from([1, 2]));
    await wire.closedWithin(1000);
  });

  test('a placeholder that names no attachment', async () => {
    const wire = await connectSocketIO(fixture.ws);
    wire.send('451-["message",{"_placeholder":true,"num":3}]');
    wire.send(Buffer.from([1]));
    await wire.closedWithin(1000);
  });
});

describe('S8/S11/S13 timing and no recovery extras', () => {
  test('a connection that never sends CONNECT and never pongs is closed by the ping timeout', async () => {
    const started = performance.now();
    const wire = await openWire(fixture.ws, '/socket.io/');
    const { at } = await wire.closedWithin(2000);
    assert.ok(at - started < PING_INTERVAL + PING_TIMEOUT + 150, `closed after ${at - started} ms`);
  });

  test('a connection that pongs but joins no namespace is closed at connectTimeout (1 s), not before', async () => {
    const started = performance.now();
    const wire = await openWire(fixture.ws, '/socket.io/');
    let closedAt = null;
    wire.closed.then(({ at }) => { closedAt = at; });
    for (;;) {
      let m;
      try { m = await wire.next(1500); } catch { break; }
      if (m === '2') wire.send('3');
    }
    await wire.closedWithin(2000);
    const after = closedAt - started;
    assert.ok(after > 950 && after < 1150, `closed after ${after} ms`);
  });

  test('a connected socket that pongs stays open past connectTimeout', async () => {
    const wire = await connectSocketIO(fixture.ws);
    const end = performance.now() + 1300;
    while (performance.now() < end) {
      const m = await wire.next(1000);
      assert.equal(m, '2');
      wire.send('3');
    }
    wire.send('42["message","alive"]');
    assert.equal(await wire.nextNonPing(), '42["message-back","alive"]');
    wire.close();
  });

  test('events carry no offset and CONNECT no pid (recovery is off)', async () => {
    const wire = await openWire(fixture.ws, '/socket.io/');
    wire.send('40{"pid":"x","offset":"y"}');
    const reply = connectReply(await wire.next());
    assert.deepEqual(Object.keys(reply), ['sid']);
    assert.equal(await wire.next(), '42["auth",{"pid":"x","offset":"y"}]');
    wire.send('42["message","a"]');
    assert.equal(await wire.nextNonPing(), '42["message-back","a"]');
    wire.close();
  });
});
