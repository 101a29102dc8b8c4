// The unchanged npm socket.io-client v4 against `headcount serve`: the three transport
// setups, the three places a token can come from, refused connections, CORS, /metrics.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Server, signJwt } from '../support/server.mjs';
import { stopClean, connect, expectEvent, eventually, metric, roundTrip, until } from './support/clients.mjs';

const server = new Server({ env: { CORS_ORIGINS: 'https://dash.example.com' } });
let admin;
let alice;
before(async () => {
  await server.start();
  admin = await server.createUser({ username: 'root', role: 'admin' });
  alice = await server.register('alice');
});
after(async () => {
  await stopClean(server);
  await server.cleanup();
});

let meetings = 0;
async function join(user) {
  const meetingId = `m${Date.now()}${meetings++}`;
  const r = await server.api('POST', '/api/user-sessions/join-meeting', {
    token: user.token, json: { meetingId, participantData: { participantName: 'Alice A', device: 'laptop' } },
  });
  assert.equal(r.status, 201);
  return { meetingId, sessionId: r.body.sessionId };
}

describe('transports', () => {
  test('default options: polling first, then the upgrade to WebSocket, events on both', async () => {
    const socket = await connect(server.url, { auth: { token: admin.token } });
    assert.equal(socket.firstTransport, 'polling');
    const before = await join(alice);
    await expectEvent(socket, (e) => e.payload.meetingId === before.meetingId);
    if (socket.io.engine.transport.name !== 'websocket') await eventually(socket.io.engine, 'upgrade');
    assert.equal(socket.io.engine.transport.name, 'websocket');
    const after = await join(alice);
    const e = await expectEvent(socket, (x) => x.payload.meetingId === after.meetingId);
    assert.equal(e.name, 'userJoinedMeeting');
    assert.equal(e.payload.sessionId, after.sessionId);
    socket.close();
  });

  test('transports: ["websocket"]', async () => {
    const socket = await connect(server.url, { auth: { token: admin.token }, transports: ['websocket'] });
    assert.equal(socket.io.engine.transport.name, 'websocket');
    const { meetingId } = await join(alice);
    await expectEvent(socket, (e) => e.payload.meetingId === meetingId);
    socket.close();
  });

  test('transports: ["polling"] stays on polling', async () => {
    const socket = await connect(server.url, { auth: { token: admin.token }, transports: ['polling'] });
    const { meetingId } = await join(alice);
    await expectEvent(socket, (e) => e.payload.meetingId === meetingId);
    await roundTrip(socket);
    assert.equal(socket.io.engine.transport.name, 'polling');
    socket.close();
  });

  test('acknowledgements: subscribe answers through the ack callback on every transport', async () => {
    for (const transports of [['polling'], ['websocket']]) {
      const socket = await connect(server.url, { auth: { token: admin.token }, transports });
      const answer = await socket.timeout(2000).emitWithAck('subscribe', { meetingId: 'ack-1' });
      assert.deepEqual(answer, { success: true, meetingIds: ['ack-1'] });
      socket.close();
    }
  });
});

describe('authentication', () => {
  const places = {
    'auth.token': (token) => ({ auth: { token } }),
    'auth.token with a Bearer prefix': (token) => ({ auth: { token: `Bearer ${token}` } }),
    'the Authorization header': (token) => ({ extraHeaders: { Authorization: `Bearer ${token}` } }),
    'the token query parameter': (token) => ({ query: { token } }),
  };
  for (const [place, options] of Object.entries(places)) {
    for (const transports of [['polling'], ['websocket']]) {
      test(`a token in ${place} (${transports[0]}) identifies the user`, async () => {
        const socket = await connect(server.url, { transports, ...options(alice.token) });
        const mine = await join(alice);
        const e = await expectEvent(socket, (x) => x.payload.meetingId === mine.meetingId);
        assert.equal(e.payload.user.id, alice.id);
        socket.close();
      });
    }
  }

  test('auth.token wins over a bad Authorization header and query token', async () => {
    const socket = await connect(server.url, {
      auth: { token: alice.token }, extraHeaders: { Authorization: 'Bearer nope' }, query: { token: 'nope' },
    });
    socket.close();
  });

  const refusals = {
    'no token at all': () => ({}),
    'a malformed token': () => ({ auth: { token: 'not.a.jwt' } }),
    'an expired token': () => ({
      auth: { token: signJwt({ sub: alice.id, exp: Math.floor(Date.now() / 1000) - 3600 }, server.env.JWT_SECRET) },
    }),
    'a token signed with another secret': () => ({
      auth: { token: signJwt({ sub: alice.id, exp: Math.floor(Date.now() / 1000) + 3600 }, 'other-secret') },
    }),
    'an alg=none token': () => ({
      auth: { token: signJwt({ sub: alice.id, exp: Math.floor(Date.now() / 1000) + 3600 }, '', { alg: 'none', typ: 'JWT' }) },
    }),
    'an Authorization header without Bearer': () => ({ extraHeaders: { Authorization: alice.token } }),
  };
  for (const [what, options] of Object.entries(refusals)) {
    test(`${what} → connect_error "Invalid or expired token", no retry`, async () => {
      const attempt = connect(server.url, options());
      const error = await attempt.then(() => null, (e) => e);
      assert.ok(error, 'the connection must be refused');
      assert.equal(error.message, 'Invalid or expired token');
    });
  }

  test('a valid token for a user that does not exist → connect_error "User not found"', async () => {
    const token = signJwt({ sub: '987654', exp: Math.floor(Date.now() / 1000) + 3600 }, server.env.JWT_SECRET);
    const error = await connect(server.url, { auth: { token } }).then(() => null, (e) => e);
    assert.equal(error?.message, 'User not found');
  });

  test('a refused socket stays inactive and can connect again with a good token', async () => {
    const socket = (await import('socket.io-client')).io(server.url, {
      auth: { token: 'bad' }, reconnection: true, reconnectionDelay: 50, forceNew: true,
    });
    const [error] = await eventually(socket, 'connect_error');
    assert.equal(error.message, 'Invalid or expired token');
    // Refused by the server (not a network failure): the client does not try again by itself.
    assert.equal(socket.active, false);
    assert.equal(socket.connected, false);
    socket.auth = { token: alice.token };
    socket.connect();
    await eventually(socket, 'connect');
    socket.close();
  });
});

describe('CORS and metrics', () => {
  test('an allowed origin gets its own origin and credentials back; others get no CORS headers', async () => {
    const url = `${server.url}/socket.io/?EIO=4&transport=polling`;
    const allowed = await fetch(url, { headers: { Origin: 'https://dash.example.com' } });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://dash.example.com');
    assert.equal(allowed.headers.get('access-control-allow-credentials'), 'true');
    assert.match(allowed.headers.get('vary'), /Origin/);
    const other = await fetch(url, { headers: { Origin: 'https://evil.example.com' } });
    assert.equal(other.status, 200);
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    const error = await fetch(`${server.url}/socket.io/?EIO=4`, { headers: { Origin: 'https://dash.example.com' } });
    assert.equal(error.status, 400);
    assert.equal(error.headers.get('access-control-allow-origin'), 'https://dash.example.com');
  });

  test('a preflight from an allowed origin is answered 204 with methods and headers', async () => {
    const r = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://dash.example.com',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'authorization',
      },
    });
    assert.equal(r.status, 204);
    assert.equal(r.headers.get('access-control-allow-origin'), 'https://dash.example.com');
    assert.match(r.headers.get('access-control-allow-methods'), /GET/);
    assert.match(r.headers.get('access-control-allow-methods'), /POST/);
    assert.equal(r.headers.get('access-control-allow-headers'), 'authorization');
  });

  test('/metrics counts connected sockets and delivered events', async () => {
    const gauge = async () => metric((await server.api('GET', '/metrics')).text, 'headcount_socketio_connected_sockets');
    const start = await gauge();
    const sockets = [];
    for (let i = 0; i < 3; i++) sockets.push(await connect(server.url, { auth: { token: admin.token }, transports: ['websocket'] }));
    assert.equal(await gauge(), start + 3);
    const delivered = metric((await server.api('GET', '/metrics')).text, 'headcount_socketio_events_delivered_total');
    const { meetingId } = await join(alice);
    for (const s of sockets) await expectEvent(s, (e) => e.payload.meetingId === meetingId);
    const text = (await server.api('GET', '/metrics')).text;
    assert.ok(metric(text, 'headcount_socketio_events_delivered_total') >= delivered + 3);
    assert.equal(metric(text, 'headcount_socketio_slow_consumers_dropped_total'), 0);
    for (const s of sockets) s.close();
    await until('the sockets gone from the gauge', async () => (await gauge()) === start);
  });
});
