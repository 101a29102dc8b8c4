// Issue 18: a database made by the release before occurrences (tests/fixtures/previous-release,
// made with its binary through its API and signed webhooks) migrates, on SQLite and on
// PostgreSQL: each meeting becomes its first occurrence, and every answer is what that release
// gave, apart from the fields occurrences add. Then the meeting goes on as a series.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { Server, psql, testPostgresUrl } from '../support/server.mjs';
import { deliver, started, joined, person } from '../support/zoom.mjs';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/previous-release');
const pgServer = testPostgresUrl();

/// The previous release's answer with what occurrences add taken out, after checking it is there.
function withoutOccurrenceFields(body) {
  const copy = structuredClone(body);
  if (copy.meeting) {
    assert.ok('occurrenceId' in copy.meeting && 'uuid' in copy.meeting);
    delete copy.meeting.occurrenceId;
    delete copy.meeting.uuid;
  }
  for (const m of copy.meetings ?? []) {
    assert.equal(m.occurrenceCount, 1, `${m.meetingId} became one occurrence`);
    assert.equal(m.latestOccurrence.status, m.status);
    assert.equal(m.latestOccurrence.startTime, m.startTime);
    assert.equal(m.latestOccurrence.participantCount, m.participantCount);
    delete m.occurrenceCount;
    delete m.latestOccurrence;
  }
  for (const s of [...(copy.sessions ?? []), ...(copy.participants ?? [])]) {
    if ('sessionId' in s && !('attendanceStatus' in s)) {
      assert.match(s.occurrenceId, /^[1-9][0-9]*$/);
      delete s.occurrenceId;
    }
  }
  return copy;
}

async function answersAsBefore(server, before) {
  const admin = await server.createUser({ username: 'migrator', role: 'admin' });
  const get = async (url, token = admin.token) => {
    const r = await server.api('GET', url, { token });
    assert.equal(r.status, 200, `${url}: ${r.text}`);
    return r;
  };
  assert.deepEqual(withoutOccurrenceFields((await get('/api/meetings')).body), before.meetings);
  for (const [meetingId, answer] of Object.entries(before.attendance)) {
    const now = (await get(`/api/attendance-tracker/attendance/${meetingId}?enriched=true`)).body;
    assert.deepEqual(withoutOccurrenceFields(now), answer, meetingId);
    assert.equal((await get(`/api/attendance-tracker/attendance/${meetingId}/export.csv`)).text,
      before.csv[meetingId], `${meetingId} CSV`);
  }
  assert.deepEqual((await get('/api/students')).body, before.students);
  const open = (await get('/api/user-sessions/meeting/fixture-open-session/authenticated-participants')).body;
  assert.deepEqual(withoutOccurrenceFields(open), before.authenticatedParticipants);
  return admin;
}

/// The users' own sessions: tokens are issued for them by the CLI (the fixture's passwords are
/// in make.mjs, but signing in is not what is tested here).
async function sessionsAsBefore(server, before) {
  for (const name of ['alice', 'bob', 'dora']) {
    const token = (await server.cli(['token', '--username', name])).stdout.trim();
    const r = await server.api('GET', '/api/user-sessions/my-sessions', { token });
    assert.equal(r.status, 200);
    assert.deepEqual(withoutOccurrenceFields(r.body), before.mySessions[name], name);
  }
}

/// The recurring meeting, one merged record before, goes on as a series: a new uuid opens a
/// second occurrence and the first still answers as it did.
async function goesOnAsASeries(server, admin, before) {
  const recurring = '85012345678';
  const next = Date.parse('2026-11-27T09:00:00Z');
  const body = started(recurring, next);
  body.payload.object.uuid = 'after-migration==';
  assert.equal((await deliver(server, body)).status, 200);
  const later = joined(recurring, person({ name: 'Cleo', email: 'cleo@school.example' }), next + 60000, { startTime: next });
  later.payload.object.uuid = 'after-migration==';
  assert.equal((await deliver(server, later)).status, 200);
  const list = await server.api('GET', `/api/meetings/${recurring}/occurrences`, { token: admin.token });
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.occurrences.map((o) => o.uuid), ['after-migration==', 'fixture-run-2==']);
  const first = list.body.occurrences[1].occurrenceId;
  const old = await server.api('GET', `/api/attendance-tracker/attendance/${recurring}?enriched=true&occurrence=${first}`, { token: admin.token });
  assert.deepEqual(withoutOccurrenceFields(old.body), before.attendance[recurring]);
  const latest = await server.api('GET', `/api/attendance-tracker/attendance/${recurring}`, { token: admin.token });
  assert.deepEqual(latest.body.participants.map((p) => p.participantName), ['Cleo']);
  const dora = (await server.cli(['token', '--username', 'dora'])).stdout.trim();
  const left = await server.api('POST', '/api/user-sessions/leave-meeting', { token: dora, json: { sessionId: before.activeSessionId } });
  assert.equal(left.status, 200, 'the session active before the migration can still be left');
}

test('a SQLite database made by the previous release migrates and answers as before', async () => {
  const before = JSON.parse(readFileSync(path.join(fixtures, 'sqlite/answers.json'), 'utf8'));
  const dir = mkdtempSync(path.join(tmpdir(), 'headcount-migration-'));
  const file = path.join(dir, 'headcount.db');
  copyFileSync(path.join(fixtures, 'sqlite/headcount.db'), file);
  const server = new Server({ dir, env: { DATABASE_URL: `sqlite:${file}`, CLEANUP_INTERVAL: '0' } });
  try {
    const migrated = await server.cli(['migrate']);
    assert.equal(migrated.code, 0, migrated.stderr);
    assert.match(migrated.stderr + migrated.stdout, /applied migrations 5\b/);
    await server.start();
    const admin = await answersAsBefore(server, before);
    await sessionsAsBefore(server, before);
    await goesOnAsASeries(server, admin, before);
  } finally {
    await server.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a PostgreSQL database made by the previous release migrates and answers as before', { skip: !pgServer && 'no test PostgreSQL' }, async () => {
  const before = JSON.parse(readFileSync(path.join(fixtures, 'postgres/answers.json'), 'utf8'));
  const name = `hc_fixture_${crypto.randomBytes(6).toString('hex')}`;
  psql(pgServer, `CREATE DATABASE ${name}`);
  const url = new URL(pgServer);
  url.pathname = `/${name}`;
  const server = new Server({ env: { DATABASE_URL: url.toString(), CLEANUP_INTERVAL: '0' } });
  try {
    const restored = spawnSync('psql', [url.toString(), '-v', 'ON_ERROR_STOP=1', '-q', '-f',
      path.join(fixtures, 'postgres/dump.sql')], { encoding: 'utf8' });
    assert.equal(restored.status, 0, restored.stderr);
    assert.equal(psql(url.toString(), 'SELECT max(version) FROM schema_migrations'), '1');
    await server.start();
    assert.equal(psql(url.toString(), 'SELECT max(version) FROM schema_migrations'), '2');
    const admin = await answersAsBefore(server, before);
    await sessionsAsBefore(server, before);
    await goesOnAsASeries(server, admin, before);
  } finally {
    await server.cleanup();
    psql(pgServer, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
});
