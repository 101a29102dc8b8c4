// Engine.IO v4 against the conformance fixture: docs/SOCKETIO.md section 2, points C1-C6 (both
// apps) and E1-E7 (the echo app at /engine.io/), with millisecond heartbeat timing.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import {
  Fixture, request, openPolling, openWire, Wire, sleep, PING_INTERVAL, PING_TIMEOUT,
} from './support/fixture.mjs';

const fixture = new Fixture();
before(() => fixture.start());
after(() => fixture.stop());

const OPEN_KEYS = ['maxPayload', 'pingInterval', 'pingTimeout', 'sid', 'upgrades'];

for (const app of ['/engine.io/', '/socket.io/']) {
  describe(`C1 handshake at ${app}`, () => {
    test('polling: the open packet has exactly the five keys and the fixture settings', async () => {
      const r = await request(`${fixture.http}${app}?EIO=4&transport=polling`);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), 'text/plain; charset=UTF-8');
      assert.equal(r.text[0], '0');
      const open = JSON.parse(r.text.slice(1));
      assert.deepEqual(Object.keys(open).sort(), OPEN_KEYS);
      assert.match(open.sid, /^[A-Za-z0-9_-]{20}$/);
      assert.deepEqual(open.upgrades, ['websocket']);
      assert.equal(open.pingInterval, PING_INTERVAL);
      assert.equal(open.pingTimeout, PING_TIMEOUT);
      assert.equal(open.maxPayload, 1000000);
    });

    test('WebSocket: the open packet is the first frame, with no upgrades', async () => {
      const wire = await openWire(fixture.ws, app);
      assert.deepEqual(Object.keys(wire.open).sort(), OPEN_KEYS);
      assert.deepEqual(wire.open.upgrades, []);
      assert.equal(wire.open.pingInterval, PING_INTERVAL);
      wire.close();
    });

    test('every session gets its own sid', async () => {
      const ids = new Set();
      for (let i = 0; i < 20; i++) ids.add((await openPolling(fixture.http, app)).sid);
      assert.equal(ids.size, 20);
    });
  });
}

describe('C2 request errors', () => {
  const cases = [
    ['?transport=polling', 'GET', 5, 'Unsupported protocol version'],
    ['?EIO=abc&transport=polling', 'GET', 5, 'Unsupported protocol version'],
    ['?EIO=3&transport=polling', 'GET', 5, 'Unsupported protocol version'],
    ['?EIO=4', 'GET', 0, 'Transport unknown'],
    ['?EIO=4&transport=abc', 'GET', 0, 'Transport unknown'],
    ['?EIO=3&transport=abc', 'GET', 0, 'Transport unknown'],
    ['?EIO=4&transport=webtransport', 'GET', 0, 'Transport unknown'],
    ['?EIO=4&transport=polling&sid=nope', 'GET', 1, 'Session ID unknown'],
    ['?EIO=4&transport=polling', 'POST', 2, 'Bad handshake method'],
    ['?EIO=4&transport=polling', 'PUT', 2, 'Bad handshake method'],
    ['?EIO=4&transport=websocket', 'GET', 3, 'Bad request'],
  ];
  for (const [query, method, code, message] of cases) {
    test(`${method} ${query} → 400 code ${code}`, async () => {
      const r = await request(`${fixture.http}/engine.io/${query}`, { method });
      assert.equal(r.status, 400);
      assert.equal(r.headers.get('content-type'), 'application/json');
      assert.deepEqual(JSON.parse(r.text), { code, message });
    });
  }

  for (const query of ['?transport=websocket', '?EIO=abc&transport=websocket', '?EIO=4', '?EIO=4&transport=abc']) {
    test(`a WebSocket upgrade with ${query} is refused with 400 and closed`, async () => {
      // As the suites' client: an error handler only, so ws aborts and emits close.
      const socket = new WebSocket(`${fixture.ws}/engine.io/${query}`);
      const error = new Promise((resolve) => socket.on('error', resolve));
      const closed = new Promise((resolve) => socket.on('close', resolve));
      await Promise.race([closed, sleep(1000).then(() => assert.fail('not closed'))]);
      assert.match((await error).message, /Unexpected server response: 400/);
    });
  }

  test('a WebSocket upgrade for an unknown sid gets 400 "Session ID unknown"', async () => {
    const wire = new Wire(`${fixture.ws}/engine.io/?EIO=4&transport=websocket&sid=unknown`);
    await assert.rejects(wire.opened, (e) => e.status === 400 && e.body === 'Session ID unknown');
  });
});

describe('C3/C4 heartbeat', () => {
  test('polling: a held GET returns exactly "2" at pingInterval, three times with pongs', async () => {
    // The first ping is due pingInterval after the handshake, each next one pingInterval
    // after the pong: time each from just before the request that starts its clock.
    let started = performance.now();
    const { url } = await openPolling(fixture.http);
    for (let i = 0; i < 3; i++) {
      if (i > 0) started = performance.now();
      const poll = await request(url);
      const waited = performance.now() - started;
      assert.equal(poll.status, 200);
      assert.equal(poll.text, '2');
      assert.ok(waited > PING_INTERVAL - 50 && waited < PING_INTERVAL + 100, `ping after ${waited} ms`);
      const pong = await request(url, { method: 'POST', body: '3' });
      assert.equal(pong.status, 200);
      assert.equal(pong.text, 'ok');
    }
  });

  test('polling: an idle session is alive with its ping queued at 470 ms and gone at 500 ms', async () => {
    // `alive` expires no earlier than 500 ms after aliveSent, `dead` no later than 500 ms
    // after deadOpened, however long the handshakes take.
    const aliveSent = performance.now();
    const alive = await openPolling(fixture.http);
    const dead = await openPolling(fixture.http);
    const deadOpened = performance.now();
    await sleep(PING_INTERVAL + PING_TIMEOUT - 30 - (performance.now() - aliveSent));
    const early = await request(alive.url);
    assert.equal(early.status, 200);
    assert.equal(early.text, '2', 'the ping was queued without a pending GET');
    await sleep(PING_INTERVAL + PING_TIMEOUT - (performance.now() - deadOpened));
    const late = await request(dead.url);
    assert.equal(late.status, 400);
    assert.deepEqual(JSON.parse(late.text), { code: 1, message: 'Session ID unknown' });
  });

  test('WebSocket: pings every pingInterval, answered three times', async () => {
    const wire = await openWire(fixture.ws);
    let last = performance.now();
    for (let i = 0; i < 3; i++) {
      assert.equal(await wire.next(1000), '2');
      const gap = performance.now() - last;
      assert.ok(gap > PING_INTERVAL - 50 && gap < PING_INTERVAL + 100, `ping after ${gap} ms`);
      last = performance.now();
      wire.send('3');
    }
    wire.close();
  });

  test('WebSocket: a client that never answers is closed at pingInterval + pingTimeout', async () => {
    const started = performance.now();
    const wire = await openWire(fixture.ws);
    assert.equal(await wire.next(), '2');
    const { at } = await wire.closedWithin(2000);
    const after = at - started;
    assert.ok(after > PING_INTERVAL + PING_TIMEOUT - 30 && after < PING_INTERVAL + PING_TIMEOUT + 150, `closed after ${after} ms`);
  });

  test('a ping from the client (other than the probe) ends the session', async () => {
    const { url } = await openPolling(fixture.http);
    await request(url, { method: 'POST', body: '2' });
    assert.equal((await request(url)).status, 400);
  });
});

describe('C5 close', () => {
  test('polling: POST "1" releases the pending GET with "6", then the sid is gone', async () => {
    const { url } = await openPolling(fixture.http);
    const pending = request(url);
    await sleep(20);
    const post = await request(url, { method: 'POST', body: '1' });
    assert.equal(post.text, 'ok');
    const poll = await pending;
    assert.equal(poll.status, 200);
    assert.equal(poll.text, '6');
    assert.equal((await request(url)).status, 400);
  });

  test('WebSocket: a "1" frame closes the WebSocket at once', async () => {
    const wire = await openWire(fixture.ws);
    const sent = performance.now();
    wire.send('1');
    const { at } = await wire.closedWithin(1000);
    assert.ok(at - sent < 100, `closed after ${at - sent} ms`);
  });
});

describe('C6/E7 upgrade', () => {
  test('probe, noop for the pending and a new GET, upgrade, then echo on the WebSocket', async () => {
    const { sid, url } = await openPolling(fixture.http);
    const pending = request(url);
    await sleep(20);
    const wire = new Wire(`${fixture.ws}/engine.io/?EIO=4&transport=websocket&sid=${sid}`);
    await wire.opened;
    wire.send('2probe');
    assert.equal(await wire.next(), '3probe');
    const released = await pending;
    assert.equal(released.text, '6');
    const started = performance.now();
    const during = await request(url);
    assert.equal(during.text, '6');
    assert.ok(performance.now() - started < 100, 'a GET during the upgrade is let go at once');
    wire.send('5');
    wire.send('4hello');
    assert.equal(await wire.nextNonPing(), '4hello');
    const polling = await request(url);
    assert.equal(polling.status, 400);
    assert.deepEqual(JSON.parse(polling.text), { code: 3, message: 'Bad request' });
    wire.close();
  });

  test('probe and upgrade sent together: polling is refused right after', async () => {
    const { sid, url } = await openPolling(fixture.http);
    const wire = new Wire(`${fixture.ws}/engine.io/?EIO=4&transport=websocket&sid=${sid}`);
    await wire.opened;
    wire.send('2probe');
    wire.send('5');
    assert.equal(await wire.next(), '3probe');
    assert.equal((await request(url)).status, 400);
    wire.send('4hello');
    assert.equal(await wire.nextNonPing(), '4hello');
    wire.close();
  });

  test('a second WebSocket for an upgraded session is accepted (101) and closed', async () => {
    const { sid } = await openPolling(fixture.http);
    const first = new Wire(`${fixture.ws}/engine.io/?EIO=4&transport=websocket&sid=${sid}`);
    await first.opened;
    first.send('2probe');
    first.send('5');
    assert.equal(await first.next(), '3probe');
    const second = new Wire(`${fixture.ws}/engine.io/?EIO=4&transport=websocket&sid=${sid}`);
    await second.opened;
    await second.closedWithin(1000);
    assert.equal(second.error, null);
    first.send('4still');
    assert.equal(await first.nextNonPing(), '4still');
    first.close();
  });

  test('a probe that goes away leaves polling working', async () => {
    const { sid, url } = await openPolling(fixture.http);
    const wire = new Wire(`${fixture.ws}/engine.io/?EIO=4&transport=websocket&sid=${sid}`);
    await wire.opened;
    wire.send('2probe');
    assert.equal(await wire.next(), '3probe');
    wire.close();
    await sleep(50);
    assert.equal((await request(url, { method: 'POST', body: '4after' })).text, 'ok');
    assert.equal((await request(url)).text, '4after');
  });

  test('upgrade messages sent on polling before the switch arrive in order on the WebSocket', async () => {
    const { sid, url } = await openPolling(fixture.http);
    const wire = new Wire(`${fixture.ws}/engine.io/?EIO=4&transport=websocket&sid=${sid}`);
    await wire.opened;
    wire.send('2probe');
    assert.equal(await wire.next(), '3probe');
    assert.equal((await request(url, { method: 'POST', body: '4one\x1e4two' })).text, 'ok');
    wire.send('5');
    assert.equal(await wire.nextNonPing(), '4one');
    assert.equal(await wire.nextNonPing(), '4two');
    wire.close();
  });
});

describe('E1-E6 echo app', () => {
  test('E2: one packet, a batch of three in one GET, and base64 binary come back as sent', async () => {
    const { url } = await openPolling(fixture.http);
    for (const body of ['4hello', '4test1\x1e4test2\x1e4test3', '4hello\x1ebAQIDBA==']) {
      const post = await request(url, { method: 'POST', body });
      assert.equal(post.status, 200);
      assert.equal(post.text, 'ok');
      assert.equal(post.headers.get('content-type'), 'text/html');
      assert.equal((await request(url)).text, body);
    }
  });

  test('E2: messages queued by several POSTs go out in one GET', async () => {
    const { url } = await openPolling(fixture.http);
    await request(url, { method: 'POST', body: '4a' });
    await request(url, { method: 'POST', body: '4b\x1e4c' });
    assert.equal((await request(url)).text, '4a\x1e4b\x1e4c');
  });

  test('E2: a held GET is answered as soon as a message arrives', async () => {
    const { url } = await openPolling(fixture.http);
    const pending = request(url);
    await sleep(50);
    const started = performance.now();
    await request(url, { method: 'POST', body: '4wake' });
    assert.equal((await pending).text, '4wake');
    assert.ok(performance.now() - started < 100);
  });

  test('E3: POST "abc" → 400 and the session is closed', async () => {
    const { url } = await openPolling(fixture.http);
    const r = await request(url, { method: 'POST', body: 'abc' });
    assert.equal(r.status, 400);
    assert.equal((await request(url)).status, 400);
  });

  test('E4: two GETs at once: the first gets "1", the second 400, then the sid is gone', async () => {
    const { url } = await openPolling(fixture.http);
    const [first, second] = await Promise.all([
      request(url),
      sleep(5).then(() => request(`${url}&t=burst`)),
    ]);
    assert.equal(first.status, 200);
    assert.equal(first.text, '1');
    assert.equal(second.status, 400);
    assert.equal((await request(url)).status, 400);
  });

  test('E5: a pending GET whose client aborts closes the session', async () => {
    const { url } = await openPolling(fixture.http);
    const controller = new AbortController();
    const pending = request(url, { signal: controller.signal }).catch(() => 'aborted');
    await sleep(20);
    controller.abort();
    assert.equal(await pending, 'aborted');
    await sleep(20);
    assert.equal((await request(url)).status, 400);
  });

  test('E6: WebSocket text and binary come back as text and binary', async () => {
    const wire = await openWire(fixture.ws);
    wire.send('4hello');
    assert.equal(await wire.nextNonPing(), '4hello');
    wire.send(Buffer.from([1, 2, 3, 4]));
    assert.deepEqual(await wire.nextNonPing(), Buffer.from([1, 2, 3, 4]));
    wire.send('4héllo ✓');
    assert.equal(await wire.nextNonPing(), '4héllo ✓');
    wire.close();
  });

  test('with b64, binary goes as "b<base64>" text; a "b<base64>" text frame is binary', async () => {
    const wire = await openWire(fixture.ws, '/engine.io/', '&b64=1');
    wire.send(Buffer.from([1, 2, 3, 4]));
    assert.equal(await wire.nextNonPing(), 'bAQIDBA==');
    wire.send('bBQY=');
    assert.equal(await wire.nextNonPing(), 'bBQY=');
    wire.close();
    const plain = await openWire(fixture.ws);
    plain.send('bBQY=');
    assert.deepEqual(await plain.nextNonPing(), Buffer.from([5, 6]));
    plain.close();
  });

  test('E6: a text frame that is no packet ("abc") closes the WebSocket', async () => {
    const wire = await openWire(fixture.ws);
    wire.send('abc');
    await wire.closedWithin(1000);
  });

  test('E1: binary sent on an upgraded WebSocket comes back as a binary frame', async () => {
    const { sid, url } = await openPolling(fixture.http);
    const wire = new Wire(`${fixture.ws}/engine.io/?EIO=4&transport=websocket&sid=${sid}`);
    await wire.opened;
    wire.send('2probe');
    assert.equal(await wire.next(), '3probe');
    wire.send('5');
    await sleep(20);
    wire.send(Buffer.from([9, 8, 7]));
    assert.deepEqual(await wire.nextNonPing(), Buffer.from([9, 8, 7]));
    assert.equal((await request(url)).status, 400);
    wire.close();
  });
});
