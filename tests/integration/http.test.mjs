// CONTRACT section 2 (errors, timeouts) and "Operations": the HTTP server itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, sleep } from '../support/server.mjs';
import { RawConnection, request, connectionRefused } from '../support/raw_http.mjs';

const server = new Server();
let user;
before(async () => {
  await server.start();
  user = await server.register('httpuser');
});
after(() => server.cleanup());

/// The error body exactly: nothing but success, code, message (and fields for validation).
function assertError(r, status, code, message) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.headers.get ? r.headers.get('content-type') : r.headers['content-type'], 'application/json; charset=utf-8');
  assert.equal(r.body.success, false);
  assert.equal(r.body.code, code);
  assert.equal(typeof r.body.message, 'string');
  assert.ok(r.body.message.length > 0);
  if (message !== undefined) assert.equal(r.body.message, message);
  const keys = Object.keys(r.body).sort();
  assert.deepEqual(keys, code === 'validation_failed' ? ['code', 'fields', 'message', 'success'] : ['code', 'message', 'success']);
}

function metricValue(text, name, labels) {
  const want = `${name}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',')}} `;
  const line = text.split('\n').find((l) => l.startsWith(want));
  return line === undefined ? 0 : Number(line.slice(want.length));
}

test('bad JSON and bodies that are not UTF-8 are invalid_json', async () => {
  for (const body of ['{bad', '{"login": "x",}', '[1, 2', 'null null', '\u0000']) {
    const r = await server.api('POST', '/api/auth/login', { body, headers: { 'content-type': 'application/json' } });
    assertError(r, 400, 'invalid_json', 'Request body is not valid JSON');
  }
  const latin1 = Buffer.concat([Buffer.from('{"login":"'), Buffer.from([0xe9]), Buffer.from('","password":"12345678"}')]);
  const r = await server.api('POST', '/api/auth/login', { body: latin1, headers: { 'content-type': 'application/json' } });
  assertError(r, 400, 'invalid_json');
  // Nothing was stored by a refused register.
  const reg = await server.api('POST', '/api/auth/register', { body: '{"username":"ghost",', headers: { 'content-type': 'application/json' } });
  assertError(reg, 400, 'invalid_json');
  const login = await server.api('POST', '/api/auth/login', { json: { login: 'ghost', password: 'whatever1' } });
  assert.equal(login.body.code, 'invalid_credentials');
});

test('wrong types and missing fields are validation_failed naming each field', async () => {
  const types = await server.api('POST', '/api/auth/login', { json: { login: 12, password: ['x'] } });
  assertError(types, 400, 'validation_failed', 'Validation failed');
  assert.deepEqual(types.body.fields, { login: 'must be a string', password: 'must be a string' });
  const missing = await server.api('POST', '/api/auth/login', { json: {} });
  assertError(missing, 400, 'validation_failed');
  assert.deepEqual(missing.body.fields, { login: 'is required', password: 'is required' });
  const notObject = await server.api('POST', '/api/auth/login', { json: [1, 2] });
  assertError(notObject, 400, 'validation_failed');
  assert.equal(notObject.body.fields.body, 'must be a JSON object');
  // An empty body is an absent one: every required field is missing.
  const empty = await server.api('POST', '/api/auth/login', { body: '', headers: { 'content-type': 'application/json' } });
  assertError(empty, 400, 'validation_failed');
  assert.deepEqual(Object.keys(empty.body.fields).sort(), ['login', 'password']);
});

test('a body over the limit is 413 payload_too_large (default 1 MiB)', async () => {
  // Declared too large: answered from the head, before any of the body is sent.
  const c = new RawConnection(server.port);
  await c.ready;
  await c.write(request('POST', '/api/auth/login', { headers: { 'Content-Type': 'application/json', 'Content-Length': String(1024 * 1024 + 1) } }));
  const r = await c.response();
  assertError(r, 413, 'payload_too_large');
  assert.equal(r.headers.connection, 'close');
  assert.ok(await c.waitClosed(5000));
  c.destroy();

  // Exactly at the limit is read and judged on its content.
  const filler = 'x'.repeat(1024 * 1024 - '{"login":"","password":"12345678"}'.length);
  const body = `{"login":"${filler}","password":"12345678"}`;
  assert.equal(Buffer.byteLength(body), 1024 * 1024);
  const atLimit = await server.api('POST', '/api/auth/login', { body, headers: { 'content-type': 'application/json' } });
  assertError(atLimit, 400, 'validation_failed');
  assert.ok(atLimit.body.fields.login);
});

test('a client that sends the whole body over the limit still reads the 413', async () => {
  // The server answers from the head, then drains what is still coming before it closes:
  // closing on unread bytes would reset the connection under the client's answer.
  const body = 'x'.repeat(4 * 1024 * 1024);
  for (let i = 0; i < 3; i++) {
    const r = await server.api('POST', '/api/auth/login', { body, headers: { 'content-type': 'application/json' } });
    assertError(r, 413, 'payload_too_large');
  }
});

test('a chunked body that grows over the limit is 413 too', async () => {
  await withSmallServer({ BODY_LIMIT: '1024' }, async (s) => {
    const c = new RawConnection(s.port);
    await c.ready;
    const chunk = `{"login":"${'y'.repeat(2000)}","password":"12345678"}`;
    await c.write(`POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${Buffer.byteLength(chunk).toString(16)}\r\n${chunk}\r\n0\r\n\r\n`);
    const r = await c.response();
    assertError(r, 413, 'payload_too_large');
    c.destroy();
    // Under the limit on the same server is fine.
    const ok = await s.api('POST', '/api/auth/login', { json: { login: 'nobody', password: '12345678' } });
    assert.equal(ok.body.code, 'invalid_credentials');
  });
});

test('a JSON route refuses other content types with 415', async () => {
  const body = JSON.stringify({ login: 'httpuser', password: 'correct-horse' });
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'text/json']) {
    const r = await server.api('POST', '/api/auth/login', { body, headers: { 'content-type': type } });
    assertError(r, 415, 'unsupported_media_type', 'Content-Type must be application/json');
  }
  const none = await server.api('POST', '/api/auth/login', { body, headers: { 'content-type': '' } });
  assertError(none, 415, 'unsupported_media_type');
  for (const type of ['application/json', 'Application/JSON; charset=UTF-8', 'application/json;charset="utf-8"', 'application/merge-patch+json']) {
    const r = await server.api('POST', '/api/auth/login', { body, headers: { 'content-type': type } });
    assert.equal(r.status, 200, `${type}: ${r.text}`);
  }
});

test('an unknown route is 404 not_found, also without a token', async () => {
  for (const path of ['/api/nope', '/api/users/1/extra', '/nothing-here', '/api/auth/me/']) {
    const r = await server.api('GET', path);
    assertError(r, 404, 'not_found', `No route for GET ${path}`);
  }
  const post = await server.api('POST', '/api/nope', { json: { a: 1 } });
  assertError(post, 404, 'not_found');
});

test('a known path with the wrong method is 405 with an Allow header', async () => {
  const r = await server.api('DELETE', '/api/auth/login');
  assertError(r, 405, 'method_not_allowed', 'Method DELETE is not allowed here');
  assert.equal(r.headers.get('allow'), 'POST');
  const put = await server.api('PUT', '/api/users', { token: user.token, json: {} });
  assertError(put, 405, 'method_not_allowed');
  assert.equal(put.headers.get('allow'), 'GET, HEAD');
  const options = await server.api('OPTIONS', '/api/auth/me');
  assert.equal(options.status, 204);
  assert.equal(options.headers.get('allow'), 'GET, HEAD');
});

test('keep-alive: several requests on one connection, answered in order', async () => {
  const c = new RawConnection(server.port);
  await c.ready;
  const ids = [];
  for (let i = 0; i < 3; i++) {
    await c.write(request('GET', '/healthz'));
    const r = await c.response();
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { success: true, status: 'ok' });
    assert.notEqual(r.headers.connection, 'close');
    ids.push(r.headers['x-request-id']);
  }
  assert.equal(new Set(ids).size, 3);
  assert.equal(c.closed, false);
  c.destroy();
});

test('pipelined requests are answered in the order they were sent', async () => {
  const c = new RawConnection(server.port);
  await c.ready;
  const login = JSON.stringify({ login: 'httpuser', password: 'correct-horse' });
  // A slow one (argon2id) first, so an out-of-order server would answer the quick ones before it.
  await c.write(
    request('POST', '/api/auth/login', { headers: { 'Content-Type': 'application/json' }, body: login }) +
    request('GET', '/api/nope') +
    request('GET', '/api/auth/me', { headers: { Authorization: `Bearer ${user.token}` } }) +
    request('GET', '/healthz') +
    request('DELETE', '/healthz'),
  );
  const statuses = [];
  const sequence = [];
  for (let i = 0; i < 5; i++) {
    const r = await c.response();
    assert.ok(r, `response ${i}`);
    statuses.push(r.status);
    sequence.push(Number(r.headers['x-request-id'].split('-').pop()));
    if (i === 0) assert.ok(r.body.token);
    if (i === 2) assert.equal(r.body.user.username, 'httpuser');
  }
  assert.deepEqual(statuses, [200, 404, 200, 200, 405]);
  for (let i = 1; i < sequence.length; i++) assert.equal(sequence[i], sequence[i - 1] + 1);
  c.destroy();
});

test('one JSON log line per request with method, route, status, duration and user id', async () => {
  const me = await server.api('GET', '/api/auth/me', { token: user.token });
  const missing = await server.api('GET', '/api/does-not-exist?x=1');
  const bad = await server.api('POST', '/api/auth/login', { json: { login: 'httpuser', password: 'wrong-password' } });
  for (const r of [me, missing, bad]) await server.requestLogged(r.headers.get('x-request-id'));
  const lineFor = (r) => {
    const lines = server.logs('request').filter((l) => l.requestId === r.headers.get('x-request-id'));
    assert.equal(lines.length, 1, `one line for ${r.headers.get('x-request-id')}`);
    return lines[0];
  };
  const a = lineFor(me);
  assert.equal(a.level, 'info');
  assert.equal(a.module, 'http');
  assert.equal(a.method, 'GET');
  assert.equal(a.route, '/api/auth/me');
  assert.equal(a.status, 200);
  assert.equal(a.userId, user.id);
  assert.equal(typeof a.durationMs, 'number');
  assert.ok(a.durationMs >= 0 && a.durationMs < 10000);
  assert.ok(!Number.isNaN(Date.parse(a.time)));
  const b = lineFor(missing);
  assert.equal(b.route, 'unmatched');
  assert.equal(b.path, '/api/does-not-exist');
  assert.equal(b.status, 404);
  assert.equal(b.userId, null);
  const c = lineFor(bad);
  assert.equal(c.method, 'POST');
  assert.equal(c.route, '/api/auth/login');
  assert.equal(c.status, 401);
  // Passwords and tokens never reach the log.
  const all = server.logText();
  assert.ok(!all.includes('wrong-password') && !all.includes('correct-horse'));
  assert.ok(!all.includes(user.token));
});

test('a request refused while its head is read is logged and counted too', async () => {
  const before = (await server.api('GET', '/metrics')).text;
  const refused = [];
  // Over even the CSV limit (refused by the head parser) and a head that is not HTTP.
  for (const head of [
    request('POST', '/api/auth/login', { headers: { 'Content-Type': 'application/json', 'Content-Length': String(64 * 1024 * 1024) } }),
    'GET /healthz HTTP/1.1\r\nHost: x\r\nNot A Header\r\n\r\n',
  ]) {
    const c = new RawConnection(server.port);
    await c.ready;
    await c.write(head);
    const r = await c.response();
    assert.ok(r);
    assert.ok(r.headers['x-request-id'], `a request id for ${JSON.stringify(head.slice(0, 20))}`);
    refused.push(r);
    c.destroy();
  }
  assertError(refused[0], 413, 'payload_too_large');
  assert.equal(refused[1].status, 400);
  for (const r of refused) await server.requestLogged(r.headers['x-request-id']);
  for (const r of refused) {
    const lines = server.logs('request').filter((l) => l.requestId === r.headers['x-request-id']);
    assert.equal(lines.length, 1, r.headers['x-request-id']);
    assert.equal(lines[0].status, r.status);
    assert.equal(lines[0].route, 'unmatched');
  }
  const oversized = server.logs('request').find((l) => l.requestId === refused[0].headers['x-request-id']);
  assert.equal(oversized.method, 'POST');
  assert.equal(oversized.path, '/api/auth/login');
  const after = (await server.api('GET', '/metrics')).text;
  for (const status of ['413', '400']) {
    const labels = { route: 'unmatched', status };
    assert.equal(metricValue(after, 'headcount_http_requests_total', labels), metricValue(before, 'headcount_http_requests_total', labels) + 1, status);
  }
});

test('/healthz and /readyz answer', async () => {
  const h = await server.api('GET', '/healthz');
  assert.equal(h.status, 200);
  assert.deepEqual(h.body, { success: true, status: 'ok' });
  const r = await server.api('GET', '/readyz');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { success: true, status: 'ready', storage: server.postgres ? 'postgres' : 'sqlite', bus: 'local' });
  const head = await server.api('HEAD', '/healthz');
  assert.equal(head.status, 200);
  assert.equal(head.text, '');
});

test('/metrics is Prometheus text that counts requests by route and status, with a latency histogram', async () => {
  const first = await server.api('GET', '/metrics');
  assert.equal(first.status, 200);
  assert.equal(first.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  const ok0 = metricValue(first.text, 'headcount_http_requests_total', { route: '/healthz', status: '200' });
  const nf0 = metricValue(first.text, 'headcount_http_requests_total', { route: 'unmatched', status: '404' });
  const count0 = metricValue(first.text, 'headcount_http_request_duration_seconds_count', { route: '/healthz' });
  const answered = [];
  for (let i = 0; i < 3; i++) answered.push(await server.api('GET', '/healthz'));
  answered.push(await server.api('GET', '/api/nope'));
  // Counted with the log line, after the answer went out.
  for (const r of answered) await server.requestLogged(r.headers.get('x-request-id'));
  const text = (await server.api('GET', '/metrics')).text;
  assert.equal(metricValue(text, 'headcount_http_requests_total', { route: '/healthz', status: '200' }), ok0 + 3);
  assert.equal(metricValue(text, 'headcount_http_requests_total', { route: 'unmatched', status: '404' }), nf0 + 1);
  assert.equal(metricValue(text, 'headcount_http_request_duration_seconds_count', { route: '/healthz' }), count0 + 3);
  assert.ok(text.includes('# TYPE headcount_http_requests_total counter\n'));
  assert.ok(text.includes('# TYPE headcount_http_request_duration_seconds histogram\n'));
  // Buckets are cumulative and end in +Inf = count.
  const buckets = text.split('\n').filter((l) => l.startsWith('headcount_http_request_duration_seconds_bucket{route="/healthz",'));
  assert.ok(buckets.length >= 2);
  const values = buckets.map((l) => Number(l.split(' ').pop()));
  for (let i = 1; i < values.length; i++) assert.ok(values[i] >= values[i - 1], buckets.join('\n'));
  assert.ok(buckets.at(-1).includes('le="+Inf"'));
  assert.equal(values.at(-1), count0 + 3);
  assert.ok(metricValue(text, 'headcount_http_request_duration_seconds_sum', { route: '/healthz' }) > 0);
  // Every line is a comment or `name{labels} value`.
  for (const line of text.trimEnd().split('\n')) {
    assert.match(line, /^(# (HELP|TYPE) [a-zA-Z_:][\w:]* .+|[a-zA-Z_:][\w:]*(\{[a-zA-Z_]\w*="(?:[^"\\]|\\.)*"(,[a-zA-Z_]\w*="(?:[^"\\]|\\.)*")*\})? -?[\d.e+-]+|[a-zA-Z_:][\w:]*(\{.*\})? (\+Inf|NaN))$/, line);
  }
  for (const name of ['headcount_events_emitted_total']) assert.ok(text.includes(`# TYPE ${name} `), name);
});

test('/metrics reports active user sessions from storage, socket connections and events emitted', async () => {
  const gauge = async (name) => {
    const line = (await server.api('GET', '/metrics')).text.split('\n').find((l) => l.startsWith(`${name} `));
    assert.ok(line, `${name} is reported`);
    return Number(line.slice(name.length + 1));
  };
  const active0 = await gauge('headcount_user_sessions_active');
  const emitted0 = await gauge('headcount_events_emitted_total');
  assert.equal(await gauge('headcount_socketio_connected_sockets'), 0);
  const join = await server.api('POST', '/api/user-sessions/join-meeting', { token: user.token, json: { meetingId: '123456789' } });
  assert.equal(join.status, 201);
  assert.equal(await gauge('headcount_user_sessions_active'), active0 + 1);
  assert.equal(await gauge('headcount_events_emitted_total'), emitted0 + 1);
  const leave = await server.api('POST', '/api/user-sessions/leave-meeting', { token: user.token, json: { sessionId: join.body.sessionId } });
  assert.equal(leave.status, 200);
  assert.equal(await gauge('headcount_user_sessions_active'), active0);
  assert.equal(await gauge('headcount_events_emitted_total'), emitted0 + 2);
});

/// A server of its own with some settings, on a clock the test moves.
async function withSmallServer(env, fn) {
  const s = new Server({ env, testClock: true });
  try {
    await s.start();
    return await fn(s);
  } finally {
    await s.cleanup();
  }
}

/// A request on a new connection after a clock step: by its answer, what the step made due (a
/// sweep closing connections) has run too.
async function settle(s) {
  const c = new RawConnection(s.port);
  await c.ready;
  await c.write(request('GET', '/healthz', { headers: { Connection: 'close' } }));
  assert.equal((await c.response()).status, 200);
  c.destroy();
}

test('slowloris: a client dripping its head is cut off at the header timeout; others are answered meanwhile', async () => {
  await withSmallServer({ HTTP_HEADER_TIMEOUT_MS: '20000' }, async (s) => {
    const slow = new RawConnection(s.port);
    await slow.ready;
    await settle(s);  // accepted: its header timeout runs
    const head = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n';
    // One byte every 2.5 s of server time, each beating nothing but the header timeout. (Real
    // time runs on under the steps: the margins before a deadline are seconds.)
    for (let sent = 0; sent < 7; sent++) {
      await slow.write(head[sent]);
      await s.advanceClock(2500);
      await settle(s);
      assert.equal(slow.closed, false, `open ${(sent + 1) * 2.5} s after the accept`);
    }
    await s.advanceClock(5000);
    assert.ok(await slow.waitClosed(5000), 'the slow client was cut off at the header timeout');
    // It got no answer but the close; others still are answered.
    assert.equal(slow.buffer.length, 0);
    await settle(s);
    slow.destroy();
  });
});

test('a silent connection and an idle keep-alive connection are closed by their timeouts', async () => {
  await withSmallServer({ HTTP_HEADER_TIMEOUT_MS: '10000', HTTP_IDLE_TIMEOUT_MS: '15000' }, async (s) => {
    const silent = new RawConnection(s.port);
    await silent.ready;
    await settle(s);  // accepted: its header timeout runs
    await s.advanceClock(8000);
    await settle(s);
    assert.equal(silent.closed, false, 'a silent connection is open before its header timeout');
    await s.advanceClock(3000);
    assert.ok(await silent.waitClosed(5000), 'a connection that sends nothing is closed');

    const idle = new RawConnection(s.port);
    await idle.ready;
    await idle.write(request('GET', '/healthz'));
    const answered = await idle.response();
    assert.equal(answered.status, 200);
    // Logged just before the server starts the idle wait: step only then.
    await s.requestLogged(answered.headers['x-request-id']);
    await s.advanceClock(13000);
    await settle(s);
    assert.equal(idle.closed, false, 'an idle connection is open before its idle timeout');
    await s.advanceClock(3000);
    assert.ok(await idle.waitClosed(5000), 'an idle keep-alive connection is closed');

    // On a kept-alive connection the header timeout runs from the next request's first byte:
    // dripping it slower than that is cut off although each byte beats the idle timeout.
    const drip = new RawConnection(s.port);
    await drip.ready;
    await drip.write(request('GET', '/healthz'));
    const first = await drip.response();
    assert.equal(first.status, 200);
    await s.requestLogged(first.headers['x-request-id']);
    const next = 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n';
    for (let sent = 0; sent < 3; sent++) {
      await drip.write(next[sent]);
      await settle(s);
      await s.advanceClock(2500);
    }
    await settle(s);
    assert.equal(drip.closed, false, 'open 7.5 s into its second head');
    await drip.write(next[3]);
    await s.advanceClock(3500);
    assert.ok(await drip.waitClosed(5000), 'the dripping second request was cut off');
    assert.equal(drip.buffer.length, 0);
    silent.destroy();
    idle.destroy();
    drip.destroy();
  });
});

test('an Engine.IO long-poll is held past the HTTP timeouts, which bound reads and writes only', async () => {
  const env = {
    HTTP_HEADER_TIMEOUT_MS: '3000',
    HTTP_IDLE_TIMEOUT_MS: '3000',
    HTTP_BODY_TIMEOUT_MS: '3000',
    SOCKETIO_PING_INTERVAL_MS: '30000',
    SOCKETIO_PING_TIMEOUT_MS: '10000',
  };
  await withSmallServer(env, async (s) => {
    const base = `http://127.0.0.1:${s.port}/socket.io/?EIO=4&transport=polling`;
    const open = await fetch(base);
    assert.equal(open.status, 200);
    const handshake = await open.text();
    assert.equal(handshake[0], '0');
    const { sid, pingInterval } = JSON.parse(handshake.slice(1));
    assert.equal(pingInterval, 30000);

    // Nothing to send until the server's first ping: the GET is held for the ping interval,
    // ten times the HTTP timeouts. A step must come only once the server holds the GET (before
    // that its connection is bound by the header timeout): the GET goes first on its own
    // connection, and a whole request on another after it is answered after it was taken.
    const poll = new RawConnection(s.port);
    await poll.ready;
    await poll.write(request('GET', `/socket.io/?EIO=4&transport=polling&sid=${sid}`));
    await settle(s);
    await settle(s);
    await s.advanceClock(20000);
    await settle(s);
    assert.equal(poll.closed, false, 'the poll is held past the HTTP timeouts');
    assert.equal(poll.buffer.length, 0, 'and not answered yet');
    await s.advanceClock(10000);
    const ping = await poll.response();
    assert.equal(ping.status, 200);
    assert.equal(ping.text, '2');
    poll.destroy();

    // The session is still there: the pong is taken.
    const pong = await fetch(`${base}&sid=${sid}`, { method: 'POST', body: '3' });
    assert.equal(pong.status, 200);
    assert.equal(await pong.text(), 'ok');
  });
});

test('graceful shutdown: a request in flight completes, new connections are refused, exit 0', async () => {
  const s = new Server();
  try {
    await s.start();
    await s.register('shutdown-user', { password: 'slow-password' });
    const port = s.port;
    // An idle keep-alive connection is closed at once by the shutdown.
    const idle = new RawConnection(port);
    await idle.ready;
    await idle.write(request('GET', '/healthz'));
    assert.equal((await idle.response()).status, 200);

    // A slow upload: the head and half of the body now, the rest after SIGTERM. A first
    // request on the same connection shows the server has accepted it.
    const body = JSON.stringify({ login: 'shutdown-user', password: 'slow-password' });
    const half = Math.floor(body.length / 2);
    const upload = new RawConnection(port);
    await upload.ready;
    await upload.write(request('GET', '/healthz'));
    assert.equal((await upload.response()).status, 200);
    await upload.write(`POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, half)}`);
    await sleep(500);
    const signalled = Date.now();
    s.proc.kill('SIGTERM');

    assert.ok(await idle.waitClosed(3000), 'the idle connection was closed');
    let refused = false;
    for (let i = 0; i < 50 && !refused; i++) {
      refused = await connectionRefused(port);
      if (!refused) await sleep(100);
    }
    assert.ok(refused, 'new connections are refused after SIGTERM');
    assert.equal(s.proc.exitCode, null, 'still running while a request is in flight');

    await upload.write(body.slice(half));
    const r = await upload.response();
    assert.ok(r, 'the in-flight request got its answer');
    assert.equal(r.status, 200, r.text);
    assert.ok(r.body.token);
    assert.equal(r.headers.connection, 'close');
    const { code, signal } = await s.exited;
    assert.equal(code, 0);
    assert.equal(signal, null);
    assert.ok(Date.now() - signalled < 10000, 'exited within 10 s');
    assert.ok(s.logs('shutting down').some((l) => l.signal === 'SIGTERM'));
    assert.ok(s.logs('stopped').length === 1);
    idle.destroy();
    upload.destroy();
  } finally {
    await s.cleanup();
  }
});

test('graceful shutdown: an argon2 register in flight is committed, and SIGINT exits 0 too', async () => {
  const s = new Server();
  try {
    await s.start();
    const c = new RawConnection(s.port);
    await c.ready;
    await c.write(request('GET', '/healthz'));
    assert.equal((await c.response()).status, 200);
    const json = JSON.stringify({ username: 'inflight', email: 'inflight@example.com', password: 'inflight-pass' });
    await c.write(request('POST', '/api/auth/register', { headers: { 'Content-Type': 'application/json' }, body: json }));
    // argon2id and the commit take longer than this, so the signal usually finds it in flight.
    await sleep(150);
    s.proc.kill('SIGINT');
    const r = await c.response();
    assert.ok(r, 'the register in flight got its answer');
    assert.equal(r.status, 201, r.text);
    c.destroy();
    const { code } = await s.exited;
    assert.equal(code, 0);
    // The acknowledged write is on disk: a new server on the same file has the user.
    await s.start();
    const login = await s.api('POST', '/api/auth/login', { json: { login: 'inflight', password: 'inflight-pass' } });
    assert.equal(login.status, 200);
    assert.equal(login.body.user.id, r.body.user.id);
    assert.equal((await s.stop()).code, 0);
  } finally {
    await s.cleanup();
  }
});

test('hundreds of silent connections do not stop the server answering others', async () => {
  await withSmallServer({ HTTP_HEADER_TIMEOUT_MS: '3000' }, async (s) => {
    const silent = [];
    for (let i = 0; i < 300; i++) silent.push(new RawConnection(s.port));
    await Promise.all(silent.map((c) => c.ready));
    // Accepted in order: these answers come after all 300 were taken.
    for (let i = 0; i < 5; i++) assert.equal((await s.api('GET', '/healthz')).status, 200);
    assert.equal(silent.filter((c) => c.closed).length, 0);
    // All of them are cut off by the header timeout.
    await s.advanceClock(3000);
    const closed = await Promise.all(silent.map((c) => c.waitClosed(10000)));
    assert.equal(closed.filter(Boolean).length, silent.length);
    for (const c of silent) c.destroy();
    assert.equal((await s.api('GET', '/healthz')).status, 200);
  });
});

test('graceful shutdown: a request that never completes does not keep the server past 10 s', async () => {
  const s = new Server();
  try {
    await s.start();
    const stuck = new RawConnection(s.port);
    await stuck.ready;
    await stuck.write(request('GET', '/healthz'));
    assert.equal((await stuck.response()).status, 200);
    // A body that is never finished (the body timeout is 30 s, beyond the shutdown deadline).
    await stuck.write('POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"lo');
    await sleep(500);
    const signalled = Date.now();
    s.proc.kill('SIGTERM');
    const { code, signal } = await s.exited;
    const took = Date.now() - signalled;
    assert.equal(code, 0, s.logText());
    assert.equal(signal, null);
    assert.ok(took < 10000, `exited after ${took} ms`);
    assert.ok(took >= 5000, `exited after ${took} ms, without waiting for the request`);
    assert.ok(s.logs('connections still open at the shutdown deadline').length === 1);
    assert.ok(await stuck.waitClosed(2000));
    stuck.destroy();
  } finally {
    await s.cleanup();
  }
});
