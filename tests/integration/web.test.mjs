// The dashboard as the binary serves it (CONTRACT section 3 "Operations": GET / serves the
// admin dashboard; issue 6): embedded files, content types, caching, gzip, security headers,
// the page routes, /socket.io/socket.io.js, and nothing of the API shadowed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import http from 'node:http';
import { Server } from '../support/server.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const server = new Server({ env: { SESSION_TIMEOUT: '90' } });
let shell;
let assetBase;

before(async () => {
  await server.start();
  shell = await server.api('GET', '/');
  assetBase = /href="(\/assets\/[0-9a-f]{12})\/css\/app\.css"/.exec(shell.text)?.[1];
});
after(() => server.cleanup());

/// A raw GET (fetch would decompress and hide Content-Encoding).
function get(urlPath, headers = {}, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}${urlPath}`, { method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('GET / is the page shell with the security headers and revalidation caching', async () => {
  assert.equal(shell.status, 200);
  assert.equal(shell.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.match(shell.text, /^<!doctype html>/);
  assert.match(shell.text, /<script type="module" src="\/assets\/[0-9a-f]{12}\/js\/main\.js"><\/script>/);
  assert.ok(assetBase, 'the shell links its versioned stylesheet');
  assert.doesNotMatch(shell.text, /@ASSETS@|@MODULE_PRELOADS@/);
  // no inline script or style for the CSP to have to allow
  assert.doesNotMatch(shell.text, /<script(?![^>]*\bsrc=)[^>]*>/);
  assert.doesNotMatch(shell.text, /<style|\sstyle="/);
  const csp = shell.headers.get('content-security-policy');
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /script-src 'self';/);
  assert.match(csp, /style-src 'self';/);
  assert.match(csp, /object-src 'none'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.equal(shell.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(shell.headers.get('referrer-policy'), 'no-referrer');
  assert.equal(shell.headers.get('cache-control'), 'no-cache');
  assert.match(shell.headers.get('etag'), /^"[0-9a-f]{20}"$/);
});

test('every page route of the app serves the same shell; other paths stay 404', async () => {
  for (const p of ['/meeting/123456789', '/my-sessions', '/admin', '/admin/', '/admin/meetings/987654321',
    '/admin/students', '/admin/users']) {
    const r = await server.api('GET', p);
    assert.equal(r.status, 200, p);
    assert.equal(r.text, shell.text, p);
  }
  for (const p of ['/index.html', '/nope', '/meeting', '/meeting/1/2', '/assets/zzz/js/main.js']) {
    const r = await server.api('GET', p);
    assert.equal(r.status, 404, p);
    assert.equal(r.body.code, 'not_found', p);
  }
});

test('the API, health and metrics are not shadowed by the app', async () => {
  const me = await server.api('GET', '/api/auth/me');
  assert.equal(me.status, 401);
  assert.equal(me.body.code, 'missing_token');
  const unknown = await server.api('GET', '/api/not-a-route');
  assert.equal(unknown.status, 404);
  assert.equal(unknown.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal((await server.api('GET', '/healthz')).body.status, 'ok');
  assert.equal((await server.api('GET', '/readyz')).status, 200);
  const metrics = await server.api('GET', '/metrics');
  assert.match(metrics.headers.get('content-type'), /^text\/plain/);
});

test('versioned assets have their content types and are cached for a year', async () => {
  const cases = [
    ['/css/app.css', 'text/css; charset=utf-8', path.join(root, 'web/css/app.css')],
    ['/js/main.js', 'text/javascript; charset=utf-8', path.join(root, 'web/js/main.js')],
    ['/js/views/meeting.js', 'text/javascript; charset=utf-8', path.join(root, 'web/js/views/meeting.js')],
    ['/favicon.svg', 'image/svg+xml', path.join(root, 'web/favicon.svg')],
    ['/vendor/socket.io.esm.min.js', 'text/javascript; charset=utf-8',
      path.join(root, 'node_modules/socket.io-client/dist/socket.io.esm.min.js')],
  ];
  for (const [file, type, source] of cases) {
    const r = await get(`${assetBase}${file}`);
    assert.equal(r.status, 200, file);
    assert.equal(r.headers['content-type'], type, file);
    assert.equal(r.headers['cache-control'], 'public, max-age=31536000, immutable', file);
    assert.equal(r.headers['x-content-type-options'], 'nosniff', file);
    assert.deepEqual(r.body, readFileSync(source), `${file} is the file of the source tree`);
  }
});

test('gzip when the client accepts it, identity otherwise, with Vary and per-representation ETags', async () => {
  const js = `${assetBase}/js/views/meeting.js`;
  const plain = await get(js);
  const zipped = await get(js, { 'accept-encoding': 'gzip, deflate, br' });
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(zipped.headers['content-encoding'], 'gzip');
  assert.equal(zipped.headers.vary, 'Accept-Encoding');
  assert.ok(zipped.body.length < plain.body.length / 2, `${zipped.body.length} vs ${plain.body.length}`);
  assert.deepEqual(gunzipSync(zipped.body), plain.body);
  assert.notEqual(zipped.headers.etag, plain.headers.etag);
  const refused = await get(js, { 'accept-encoding': 'gzip;q=0, br' });
  assert.equal(refused.headers['content-encoding'], undefined);
  // the build keeps a .gz only when it is smaller; whichever is served decodes to the source
  const svg = await get(`${assetBase}/favicon.svg`, { 'accept-encoding': 'gzip' });
  const svgBytes = svg.headers['content-encoding'] === 'gzip' ? gunzipSync(svg.body) : svg.body;
  assert.deepEqual(svgBytes, readFileSync(path.join(root, 'web/favicon.svg')));
});

test('If-None-Match with the current ETag answers 304 without a body; HEAD has the length', async () => {
  const first = await get('/', { 'accept-encoding': 'gzip' });
  assert.equal(first.status, 200);
  const again = await get('/', { 'accept-encoding': 'gzip', 'if-none-match': first.headers.etag });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  assert.equal(again.headers['content-length'], undefined);
  assert.equal(again.headers.etag, first.headers.etag);
  assert.equal(again.headers['cache-control'], 'no-cache');
  const weak = await get('/', { 'accept-encoding': 'gzip', 'if-none-match': `"other", W/${first.headers.etag}` });
  assert.equal(weak.status, 304);
  const stale = await get('/', { 'if-none-match': '"00000000000000000000"' });
  assert.equal(stale.status, 200);
  const head = await get('/', {}, 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.body.length, 0);
  assert.equal(Number(head.headers['content-length']), Buffer.byteLength(shell.text));
});

test('/socket.io/socket.io.js is the pinned socket.io-client browser bundle', async () => {
  const pinned = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).devDependencies['socket.io-client'];
  const installed = JSON.parse(readFileSync(path.join(root, 'node_modules/socket.io-client/package.json'), 'utf8')).version;
  assert.equal(installed, pinned);
  const bundle = readFileSync(path.join(root, 'node_modules/socket.io-client/dist/socket.io.min.js'));
  for (const p of ['/socket.io/socket.io.js', '/socket.io/socket.io.min.js']) {
    const r = await get(p);
    assert.equal(r.status, 200, p);
    assert.equal(r.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.deepEqual(r.body, bundle, p);
    assert.match(r.body.toString('utf8', 0, 200), new RegExp(`Socket\\.IO v${installed.replace(/\./g, '\\.')}`));
  }
  const zipped = await get('/socket.io/socket.io.js', { 'accept-encoding': 'gzip' });
  assert.deepEqual(gunzipSync(zipped.body), bundle);
});

test('the rest of /socket.io/ is still the Engine.IO endpoint', async () => {
  const r = await server.api('GET', '/socket.io/?EIO=4&transport=polling');
  assert.equal(r.status, 200);
  assert.match(r.text, /^0\{.*"sid":/);
});

test('/config.json tells the meeting page how often to send heartbeats', async () => {
  const r = await server.api('GET', '/config.json');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { heartbeatSeconds: 30, sessionTimeoutSeconds: 90 });
});
