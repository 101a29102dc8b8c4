// CONTRACT section 3 "Zoom and the attendance tracker": the webhook.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { Server } from '../support/server.mjs';
import { deliver, signature, started, ended, joined, left, person } from '../support/zoom.mjs';

const server = new Server();
let admin;
before(async () => {
  await server.start();
  admin = await server.createUser({ username: 'zoomadmin', role: 'admin' });
});
after(() => server.cleanup());

const attendance = (meetingId, enriched = false) =>
  server.api('GET', `/api/attendance-tracker/attendance/${meetingId}${enriched ? '?enriched=true' : ''}`, { token: admin.token });

test('endpoint.url_validation answers the plainToken and its HMAC', async () => {
  const plainToken = 'qgg8vlvZRS6UYooatFL8Aw';
  const r = await deliver(server, { event: 'endpoint.url_validation', payload: { plainToken }, event_ts: Date.now() });
  assert.equal(r.status, 200);
  const expected = crypto.createHmac('sha256', server.env.ZOOM_WEBHOOK_SECRET_TOKEN).update(plainToken).digest('hex');
  assert.deepEqual(r.body, { plainToken, encryptedToken: expected });
});

test('bad signatures, missing headers and stale or future timestamps are 401 and store nothing', async () => {
  const body = started('81000000001', Date.now());
  const raw = JSON.stringify(body);
  // Timestamps are taken fresh for each attempt and kept a few seconds clear of the 300 s
  // edge, so a slow machine cannot move them across it.
  const now = () => Math.floor(Date.now() / 1000);
  const attempts = [
    () => ({ secret: 'not-the-secret' }),
    () => ({ headers: { 'x-zm-signature': undefined } }),
    () => ({ headers: { 'x-zm-request-timestamp': undefined } }),
    () => ({ timestamp: now() - 305 }),
    () => ({ timestamp: now() + 305 }),
    () => ({ headers: { 'x-zm-signature': signature(server.env.ZOOM_WEBHOOK_SECRET_TOKEN, String(now()), raw + ' ') } }),
    () => ({ headers: { 'x-zm-signature': 'v0=' } }),
  ];
  for (const make of attempts) {
    const options = make();
    const r = await deliver(server, raw, options);
    assert.equal(r.status, 401, JSON.stringify(options));
    assert.equal(r.body.code, 'invalid_signature');
    assert.equal(r.body.success, false);
  }
  const r = await attendance('81000000001');
  assert.equal(r.status, 404, 'nothing was stored for the meeting');
  const ok = await deliver(server, raw, { timestamp: now() - 290 });
  assert.equal(ok.status, 200, 'a timestamp inside the window is fine');
});

test('a signed delivery that is not JSON is invalid_json; other events are acknowledged and ignored', async () => {
  const bad = await deliver(server, '{"event":');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.code, 'invalid_json');
  const other = await deliver(server, { event: 'meeting.sharing_started', payload: { object: { id: 1 } } });
  assert.equal(other.status, 200);
  assert.deepEqual(other.body, { success: true, event: 'meeting.sharing_started', ignored: true });
  const noMeeting = await deliver(server, { event: 'meeting.participant_joined', payload: { object: {} } });
  assert.equal(noMeeting.status, 400);
  assert.equal(noMeeting.body.code, 'validation_failed');
});

test('meeting ids arrive as numbers or strings; guests may have an empty email', async () => {
  const t0 = Date.parse('2026-03-02T09:00:00Z');
  const guest = person({ name: 'Guest Caller', email: '' });
  let r = await deliver(server, joined(81000000002, guest, t0));
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { success: true, event: 'meeting.participant_joined', meetingId: '81000000002' });
  r = await deliver(server, joined('81000000002', person({ name: 'Other Guest' }), t0 + 1000));
  assert.equal(r.status, 200);
  const a = await attendance('81000000002');
  assert.equal(a.status, 200);
  assert.equal(a.body.participants.length, 2);
  const g = a.body.participants.find((p) => p.participantName === 'Guest Caller');
  assert.equal(g.email, null);
  assert.equal(g.isActive, true);
  assert.equal(g.source, 'zoom');
  assert.equal(a.body.meeting.status, 'live');
});

test('redelivered events change nothing', async () => {
  const meetingId = '81000000003';
  const t0 = Date.parse('2026-03-02T10:00:00Z');
  const who = person({ name: 'Ada Lovelace', email: 'ada@example.com', accountId: 'acct-ada' });
  const join = joined(meetingId, who, t0 + 60000, { startTime: t0 });
  const leave = left(meetingId, who, t0 + 600000, { startTime: t0 });
  for (const body of [started(meetingId, t0), join, join, leave, join, leave, started(meetingId, t0)]) {
    const r = await deliver(server, body);
    assert.equal(r.status, 200);
  }
  const again = await deliver(server, join);
  assert.equal(again.body.duplicate, true);
  const a = await attendance(meetingId);
  assert.equal(a.body.participants.length, 1);
  assert.deepEqual(a.body.participants[0].intervals, [
    { joinTime: '2026-03-02T10:01:00.000Z', leaveTime: '2026-03-02T10:10:00.000Z' },
  ]);
  assert.equal(a.body.participants[0].duration, 9);
});

test('rejoins with new per-join ids merge into one participant with summed duration', async () => {
  const meetingId = '81000000004';
  const t0 = Date.parse('2026-03-02T11:00:00Z');
  const ids = { name: 'Grace Hopper', email: 'grace@navy.example', accountId: 'acct-grace' };
  await deliver(server, started(meetingId, t0));
  const stays = [[0, 10], [15, 30], [40, 60]];
  for (const [a, b] of stays) {
    const who = person(ids);  // new user_id and participant_uuid every time
    await deliver(server, joined(meetingId, who, t0 + a * 60000, { startTime: t0 }));
    await deliver(server, left(meetingId, who, t0 + b * 60000, { startTime: t0 }));
  }
  await deliver(server, ended(meetingId, t0, t0 + 60 * 60000));
  const a = await attendance(meetingId);
  assert.equal(a.body.participants.length, 1);
  const p = a.body.participants[0];
  assert.equal(p.participantId, 'acct-grace');
  assert.equal(p.zoomUserId, 'acct-grace');
  assert.equal(p.intervals.length, 3);
  assert.equal(p.duration, 45);
  assert.equal(p.joinTime, '2026-03-02T11:00:00.000Z');
  assert.equal(p.leaveTime, '2026-03-02T12:00:00.000Z');
  assert.equal(p.isActive, false);
  assert.equal(p.attendanceStatus, 'present');
  assert.equal(a.body.meeting.status, 'ended');
  assert.equal(a.body.meeting.endTime, '2026-03-02T12:00:00.000Z');
  assert.equal(a.body.meeting.topic, `Meeting ${meetingId}`);
});

test('out of order: a left before its joined is kept and paired; a late left after meeting.ended lands', async () => {
  const meetingId = '81000000005';
  const t0 = Date.parse('2026-03-02T12:00:00Z');
  const who = person({ name: 'Linus', email: 'linus@example.com' });
  await deliver(server, left(meetingId, who, t0 + 20 * 60000, { startTime: t0 }));
  let a = await attendance(meetingId);
  assert.equal(a.body.participants.length, 1, 'the person is listed before the join arrives');
  await deliver(server, joined(meetingId, who, t0 + 5 * 60000, { startTime: t0 }));
  a = await attendance(meetingId);
  assert.deepEqual(a.body.participants[0].intervals, [
    { joinTime: '2026-03-02T12:05:00.000Z', leaveTime: '2026-03-02T12:20:00.000Z' },
  ]);
  const other = person({ name: 'Margaret', email: 'margaret@example.com' });
  await deliver(server, joined(meetingId, other, t0 + 30 * 60000, { startTime: t0 }));
  await deliver(server, ended(meetingId, t0, t0 + 60 * 60000));
  a = await attendance(meetingId);
  let m = a.body.participants.find((p) => p.email === 'margaret@example.com');
  assert.deepEqual(m.intervals, [{ joinTime: '2026-03-02T12:30:00.000Z', leaveTime: '2026-03-02T13:00:00.000Z' }],
    'meeting.ended closes an open interval at the end time');
  assert.equal(m.isActive, false);
  await deliver(server, left(meetingId, other, t0 + 50 * 60000, { startTime: t0 }));
  a = await attendance(meetingId);
  m = a.body.participants.find((p) => p.email === 'margaret@example.com');
  assert.deepEqual(m.intervals, [{ joinTime: '2026-03-02T12:30:00.000Z', leaveTime: '2026-03-02T12:50:00.000Z' }],
    'a late participant_left still moves the end to its own leave time');
});

test('a join with no leave stays open until the meeting ends', async () => {
  const meetingId = '81000000006';
  const t0 = Date.now() - 10 * 60000;
  await deliver(server, started(meetingId, t0));
  await deliver(server, joined(meetingId, person({ name: 'Open Olga', email: 'olga@example.com' }), t0, { startTime: t0 }));
  const a = await attendance(meetingId);
  const p = a.body.participants[0];
  assert.equal(p.isActive, true);
  assert.equal(p.leaveTime, null);
  assert.equal(p.intervals[0].leaveTime, null);
  assert.ok(p.duration >= 9.9 && p.duration <= 10.5, `duration ticks with now: ${p.duration}`);
});

test('a meeting never seen is 404; a bad meeting id is validation_failed', async () => {
  const r = await attendance('99999999999');
  assert.equal(r.status, 404);
  assert.equal(r.body.code, 'not_found');
  const bad = await server.api('GET', '/api/attendance-tracker/attendance/bad%20id', { token: admin.token });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.code, 'validation_failed');
});
