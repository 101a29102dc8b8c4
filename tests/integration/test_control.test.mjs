// The test control (src/test_control): only build/headcount-testable has it, and only with
// HEADCOUNT_TEST_CLOCK=1; the shipped binary has no trace of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BIN, Server, TESTABLE_BIN, withServer } from '../support/server.mjs';

const ROUTE = '/__test/clock/advance';

test('the shipped binary answers 404 at the test control and does not contain it', async () => {
  assert.equal(readFileSync(BIN).includes(ROUTE), false, `${BIN} contains ${ROUTE}`);
  assert.equal(readFileSync(TESTABLE_BIN).includes(ROUTE), true, 'the check above can find it');
  await withServer({ env: { HEADCOUNT_TEST_CLOCK: '1' } }, async (server) => {
    const r = await server.api('POST', ROUTE, { json: { ms: 1000 } });
    assert.equal(r.status, 404);
    assert.equal(r.body.code, 'not_found');
  });
});

test('the test executable without HEADCOUNT_TEST_CLOCK=1 has no test control', async () => {
  for (const value of [undefined, '0']) {
    const server = new Server({ testClock: true, env: { HEADCOUNT_TEST_CLOCK: value } });
    if (value === undefined) delete server.env.HEADCOUNT_TEST_CLOCK;
    try {
      await server.start();
      assert.equal((await server.api('POST', ROUTE, { json: { ms: 1000 } })).status, 404, String(value));
    } finally {
      await server.cleanup();
    }
  }
});

test('HEADCOUNT_TEST_CLOCK other than 0 or 1 refuses the start', async () => {
  const server = new Server({ testClock: true, env: { HEADCOUNT_TEST_CLOCK: 'yes' } });
  try {
    await assert.rejects(server.start(), /exited with 1/);
    assert.ok(server.lines.some((l) => l.msg === 'start-up failed' && /HEADCOUNT_TEST_CLOCK/.test(l.error)), server.logText());
  } finally {
    await server.cleanup();
  }
});

test('advancing answers the new time; domain times follow it', async () => {
  await withServer({ testClock: true }, async (server) => {
    const before = Date.now();
    const r = await server.advanceClock(3_600_000);
    assert.equal(r.success, true);
    assert.equal(r.shiftMs, 3_600_000);
    const now = Date.parse(r.now);
    assert.ok(now >= before + 3_600_000 && now <= Date.now() + 3_600_000, r.now);
    assert.equal((await server.advanceClock(0)).shiftMs, 3_600_000);

    const user = await server.register('timetraveller');
    const join = await server.api('POST', '/api/user-sessions/join-meeting', { token: user.token, json: { meetingId: 'later-1' } });
    assert.equal(join.status, 201, join.text);
    assert.ok(Date.parse(join.body.userData.joinTime) >= now, join.body.userData.joinTime);

    for (const json of [{}, { ms: -1 }, { ms: 1.5 }, { ms: '10' }, { ms: 86_400_001 }]) {
      const bad = await server.api('POST', ROUTE, { json });
      assert.equal(bad.status, 400, JSON.stringify(json));
      assert.equal(bad.body.code, 'validation_failed');
      assert.ok(bad.body.fields.ms, bad.text);
    }
    assert.equal((await server.advanceClock(0)).shiftMs, 3_600_000, 'refused steps moved nothing');
  });
});
