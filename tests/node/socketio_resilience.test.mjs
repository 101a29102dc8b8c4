// Dead, slow and returning clients: the ping timeout drop, the bounded send queue, a server
// restart, connection state recovery after a network drop, and shutdown with open sockets.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { io } from 'socket.io-client';
import { Server } from '../support/server.mjs';
import {
  connect, expectEvent, eventually, metric, Relay, roundTrip, stopClean, until, withCleanServer,
} from './support/clients.mjs';
import { Wire } from './support/fixture.mjs';

async function joinAs(server, user, meetingId) {
  const r = await server.api('POST', '/api/user-sessions/join-meeting', { token: user.token, json: { meetingId } });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

const about = (sessionId) => (e) => e.payload.sessionId === sessionId;

describe('heartbeat', () => {
  // The defaults, on a clock the test moves: the client's own watchdog (pingInterval +
  // pingTimeout of real time) never fires while the test runs.
  const PING_INTERVAL = 25000;
  const PING_TIMEOUT = 20000;
  const gauge = async (server) => metric((await server.api('GET', '/metrics')).text, 'headcount_socketio_connected_sockets');

  test('a socket.io-client that stops answering pings is dropped pingTimeout after the ping', async () => {
    await withCleanServer({ testClock: true }, async (server) => {
      const admin = await server.createUser({ username: 'root', role: 'admin' });
      const socket = await connect(server.url, { auth: { token: admin.token }, transports: ['websocket'] });
      const engine = socket.io.engine;
      const send = engine._sendPacket.bind(engine);
      engine._sendPacket = (type, ...rest) => {
        if (type !== 'pong') send(type, ...rest);
      };
      let dropped = null;
      socket.on('disconnect', (reason) => { dropped = reason; });
      const pinged = eventually(engine, 'ping');
      await server.advanceClock(PING_INTERVAL);
      await pinged;
      await server.advanceClock(PING_TIMEOUT - 5000);
      await roundTrip(socket);
      assert.equal(dropped, null, 'still connected before the ping timeout');
      const disconnected = eventually(socket, 'disconnect');
      await server.advanceClock(5000);
      assert.equal((await disconnected)[0], 'transport close');
      socket.close();
    });
  });

  test('a raw client that connects and never pongs is closed at pingInterval + pingTimeout and leaves the gauge', async () => {
    await withCleanServer({ testClock: true }, async (server) => {
      const admin = await server.createUser({ username: 'root', role: 'admin' });
      const wire = new Wire(`ws://127.0.0.1:${server.port}/socket.io/?EIO=4&transport=websocket`);
      assert.equal((await wire.next())[0], '0');
      wire.send(`40${JSON.stringify({ token: admin.token })}`);
      assert.match(await wire.next(), /^40\{"sid":"[\w-]{20}","pid":"[\w-]{20}"\}$/);
      assert.equal(await gauge(server), 1);
      await server.advanceClock(PING_INTERVAL - 5000);
      wire.send('421["subscribe",{}]');
      assert.match(await wire.next(), /^431\[\{"success":false,"code":"validation_failed"/, 'no ping before pingInterval');
      await server.advanceClock(5000);
      assert.equal(await wire.next(), '2');
      await server.advanceClock(PING_TIMEOUT - 5000);
      wire.send('422["subscribe",{}]');
      assert.match(await wire.next(), /^432\[/, 'open before pingTimeout has passed');
      await server.advanceClock(5000);
      await wire.closedWithin(2000);
      await until('0 connected sockets', async () => (await gauge(server)) === 0);
    });
  });

  test('a client that keeps answering stays connected for many intervals', async () => {
    await withCleanServer({ testClock: true }, async (server) => {
      const admin = await server.createUser({ username: 'root', role: 'admin' });
      const socket = await connect(server.url, { auth: { token: admin.token } });
      // (a step in the middle of the upgrade would pass its timeout)
      if (socket.io.engine.transport.name !== 'websocket') await eventually(socket.io.engine, 'upgrade');
      let dropped = false;
      socket.on('disconnect', () => { dropped = true; });
      for (let i = 0; i < 5; i++) {
        const pinged = eventually(socket.io.engine, 'ping');
        await server.advanceClock(PING_INTERVAL);
        await pinged;
        // The pong went out before the ping event; this answer comes after the server took it.
        await roundTrip(socket);
      }
      assert.equal(dropped, false);
      assert.equal(socket.connected, true);
      socket.close();
    });
  });
});

test('a session whose send queue overflows is dropped and counted in /metrics', async () => {
  await withCleanServer({ env: { SOCKETIO_SEND_QUEUE_LIMIT: '3' } }, async (server) => {
    const admin = await server.createUser({ username: 'root', role: 'admin' });
    const alice = await server.register('alice');
    const base = `${server.url}/socket.io/?EIO=4&transport=polling`;
    const open = JSON.parse((await (await fetch(base)).text()).slice(1));
    const url = `${base}&sid=${open.sid}`;
    assert.equal(await (await fetch(url, { method: 'POST', body: `40${JSON.stringify({ token: admin.token })}` })).text(), 'ok');
    assert.match(await (await fetch(url)).text(), /^40\{"sid"/);
    // This client stops polling: its events pile up until the queue limit drops it.
    const healthy = await connect(server.url, { auth: { token: admin.token }, transports: ['websocket'] });
    let last;
    for (let i = 0; i < 4; i++) last = await joinAs(server, alice, `slow-${i}`);
    await expectEvent(healthy, about(last.sessionId));
    const dropped = async () => metric((await server.api('GET', '/metrics')).text, 'headcount_socketio_slow_consumers_dropped_total');
    await until('a slow consumer dropped', async () => (await dropped()) >= 1);
    assert.equal((await fetch(url)).status, 400);
    assert.equal(await dropped(), 1);
    assert.equal(healthy.received.length, 4, 'the other socket got every event');
    healthy.close();
  });
});

test('after a server restart the client reconnects by itself and receives events again', async () => {
  const server = new Server();
  try {
    await server.start();
    const admin = await server.createUser({ username: 'root', role: 'admin' });
    const alice = await server.register('alice');
    const socket = io(server.url, { auth: { token: admin.token }, reconnectionDelay: 100, reconnectionDelayMax: 300 });
    socket.received = [];
    socket.on('userJoinedMeeting', (payload) => socket.received.push({ name: 'userJoinedMeeting', payload }));
    await eventually(socket, 'connect');
    const firstId = socket.id;
    const before = await joinAs(server, alice, 'r-1');
    await expectEvent(socket, about(before.sessionId));

    const disconnected = eventually(socket, 'disconnect');
    const stopped = performance.now();
    const { code } = await server.stop();
    assert.equal(code, 0);
    assert.ok(performance.now() - stopped < 10000);
    assert.equal((await disconnected)[0], 'transport close');

    await server.start({ port: server.port });
    await eventually(socket, 'connect', 10000);
    assert.notEqual(socket.id, firstId);
    assert.equal(socket.recovered, false, 'a new process has no state to recover');
    const after = await joinAs(server, alice, 'r-2');
    await expectEvent(socket, about(after.sessionId));
    socket.close();
    await stopClean(server);
  } finally {
    await server.cleanup();
  }
});

describe('connection state recovery', () => {
  test('a short drop replays the missed events, keeps the socket id and sets recovered', async () => {
    await withCleanServer({}, async (server) => {
      const admin = await server.createUser({ username: 'root', role: 'admin' });
      const alice = await server.register('alice');
      const bob = await server.register('bob');
      const relay = await new Relay(server.port).start();
      try {
        const options = { reconnectionDelay: 100, reconnectionDelayMax: 200, randomizationFactor: 0 };
        const adminSocket = io(relay.url, { ...options, auth: { token: admin.token } });
        const aliceSocket = io(relay.url, { ...options, auth: { token: alice.token }, transports: ['websocket'] });
        for (const s of [adminSocket, aliceSocket]) {
          s.received = [];
          for (const name of ['userJoinedMeeting', 'userLeftMeeting']) s.on(name, (payload) => s.received.push({ name, payload }));
        }
        await Promise.all([eventually(adminSocket, 'connect'), eventually(aliceSocket, 'connect')]);
        const watcher = await connect(server.url, { auth: { token: admin.token }, transports: ['websocket'] });
        const ids = [adminSocket.id, aliceSocket.id];
        assert.equal(adminSocket.recovered, false);
        const seen = await joinAs(server, alice, 'rec-1');
        await expectEvent(adminSocket, about(seen.sessionId));
        await expectEvent(aliceSocket, about(seen.sessionId));
        if (adminSocket.io.engine.transport.name !== 'websocket') await eventually(adminSocket.io.engine, 'upgrade');

        relay.cut();
        await Promise.all([eventually(adminSocket, 'disconnect'), eventually(aliceSocket, 'disconnect')]);
        const missedByAlice = await joinAs(server, alice, 'rec-2');
        const missedByOthers = await joinAs(server, bob, 'rec-3');
        await server.api('POST', '/api/user-sessions/leave-meeting', { token: alice.token, json: { sessionId: missedByAlice.sessionId } });
        // Logged for recovery when broadcast: once a socket still connected has the last one.
        await expectEvent(watcher, (e) => e.name === 'userLeftMeeting' && e.payload.sessionId === missedByAlice.sessionId);
        relay.restore();
        await Promise.all([eventually(adminSocket, 'connect', 5000), eventually(aliceSocket, 'connect', 5000)]);

        assert.equal(adminSocket.recovered, true);
        assert.equal(aliceSocket.recovered, true);
        assert.deepEqual([adminSocket.id, aliceSocket.id], ids);
        await expectEvent(adminSocket, about(missedByOthers.sessionId));
        await expectEvent(adminSocket, (e) => e.name === 'userLeftMeeting' && e.payload.sessionId === missedByAlice.sessionId);
        assert.deepEqual(
          aliceSocket.received.map((e) => [e.name, e.payload.sessionId]),
          [['userJoinedMeeting', seen.sessionId], ['userJoinedMeeting', missedByAlice.sessionId], ['userLeftMeeting', missedByAlice.sessionId]],
          'alice got her own missed events, in order, once, and nothing about bob',
        );
        assert.equal(adminSocket.received.filter(about(seen.sessionId)).length, 1, 'nothing seen is replayed');

        // The recovered sockets keep their rooms: new events still arrive.
        const later = await joinAs(server, alice, 'rec-4');
        await expectEvent(aliceSocket, about(later.sessionId));
        await expectEvent(adminSocket, about(later.sessionId));
        adminSocket.close();
        aliceSocket.close();
        watcher.close();
      } finally {
        await relay.stop();
      }
    });
  });

  test('a subscribed admin recovers its subscriptions', async () => {
    await withCleanServer({}, async (server) => {
      const admin = await server.createUser({ username: 'root', role: 'admin' });
      const alice = await server.register('alice');
      const bob = await server.register('bob');
      const relay = await new Relay(server.port).start();
      try {
        const socket = io(relay.url, { auth: { token: admin.token }, transports: ['websocket'], reconnectionDelay: 100, reconnectionDelayMax: 200 });
        socket.received = [];
        socket.on('userJoinedMeeting', (payload) => socket.received.push({ payload }));
        await eventually(socket, 'connect');
        assert.deepEqual(await socket.emitWithAck('subscribe', { meetingId: 'only-this' }), { success: true, meetingIds: ['only-this'] });
        const seen = await joinAs(server, alice, 'only-this');
        await expectEvent(socket, about(seen.sessionId));
        relay.cut();
        await eventually(socket, 'disconnect');
        const outside = await joinAs(server, alice, 'other-meeting');
        const inside = await joinAs(server, bob, 'only-this');
        relay.restore();
        await eventually(socket, 'connect', 5000);
        assert.equal(socket.recovered, true);
        await expectEvent(socket, about(inside.sessionId));
        await roundTrip(socket);
        assert.equal(socket.received.filter(about(outside.sessionId)).length, 0);
        assert.deepEqual(await socket.emitWithAck('unsubscribe', { meetingId: 'only-this' }), { success: true, meetingIds: [] });
        socket.close();
      } finally {
        await relay.stop();
      }
    });
  });

  test('past the recovery window the client connects afresh and nothing is replayed', async () => {
    await withCleanServer({ testClock: true, env: { SOCKETIO_RECOVERY_SECONDS: '1' } }, async (server) => {
      const admin = await server.createUser({ username: 'root', role: 'admin' });
      const alice = await server.register('alice');
      const relay = await new Relay(server.port).start();
      try {
        const socket = io(relay.url, { auth: { token: admin.token }, transports: ['websocket'], reconnectionDelay: 100, reconnectionDelayMax: 200 });
        socket.received = [];
        socket.on('userJoinedMeeting', (payload) => socket.received.push({ payload }));
        await eventually(socket, 'connect');
        const id = socket.id;
        const seen = await joinAs(server, alice, 'w-1');
        await expectEvent(socket, about(seen.sessionId));
        relay.cut();
        await eventually(socket, 'disconnect');
        // Saved for recovery when the server saw it go: the window runs from then.
        await until('the socket gone from the server', async () => metric((await server.api('GET', '/metrics')).text, 'headcount_socketio_connected_sockets') === 0);
        const missed = await joinAs(server, alice, 'w-2');
        await server.advanceClock(1500);
        relay.restore();
        await eventually(socket, 'connect', 5000);
        assert.equal(socket.recovered, false);
        assert.notEqual(socket.id, id);
        // A replay would come before anything new.
        const later = await joinAs(server, alice, 'w-3');
        await expectEvent(socket, about(later.sessionId));
        assert.equal(socket.received.filter(about(missed.sessionId)).length, 0);
        socket.close();
      } finally {
        await relay.stop();
      }
    });
  });

  test('with SOCKETIO_RECOVERY_SECONDS=0 there is no pid and no offset', async () => {
    await withCleanServer({ env: { SOCKETIO_RECOVERY_SECONDS: '0' } }, async (server) => {
      const admin = await server.createUser({ username: 'root', role: 'admin' });
      const alice = await server.register('alice');
      const wire = new Wire(`ws://127.0.0.1:${server.port}/socket.io/?EIO=4&transport=websocket`);
      await wire.next();
      wire.send(`40${JSON.stringify({ token: admin.token })}`);
      assert.match(await wire.next(), /^40\{"sid":"[\w-]{20}"\}$/);
      await joinAs(server, alice, 'plain-1');
      const event = JSON.parse((await wire.nextNonPing()).slice(2));
      assert.equal(event.length, 2, 'name and payload only');
      assert.equal(event[0], 'userJoinedMeeting');
      wire.close();
    });
  });
});

test('SIGTERM with open sockets of every transport: clean exit 0 well within 10 s', async () => {
  const server = new Server();
  try {
    await server.start();
    const admin = await server.createUser({ username: 'root', role: 'admin' });
    const sockets = [];
    for (const transports of [undefined, ['websocket'], ['polling']]) {
      for (let i = 0; i < 10; i++) sockets.push(await connect(server.url, { auth: { token: admin.token }, transports }));
    }
    // Those that may upgrade have, and every session has answered once on its transport.
    for (const s of sockets.slice(0, 10)) if (s.io.engine.transport.name !== 'websocket') await eventually(s.io.engine, 'upgrade');
    await Promise.all(sockets.map(roundTrip));
    const reasons = sockets.map((s) => eventually(s, 'disconnect', 10000).then(([reason]) => [s.io.engine.transport.name, reason]));
    const started = performance.now();
    const { code } = await server.stop();
    const took = performance.now() - started;
    assert.equal(code, 0);
    assert.ok(took < 3000, `exit took ${took} ms`);
    for (const [transport, reason] of await Promise.all(reasons)) {
      // A WebSocket gets a close frame. A polling client gets the close packet in its pending
      // GET, unless it was between two GETs when the listener closed.
      if (transport === 'websocket') assert.equal(reason, 'transport close');
      else assert.ok(['transport close', 'transport error'].includes(reason), reason);
    }
    for (const s of sockets) s.close();
  } finally {
    await server.cleanup();
  }
});
