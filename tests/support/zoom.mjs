// Zoom webhook deliveries shaped like Zoom's real payloads and signed exactly as Zoom signs
// them: x-zm-signature = "v0=" + hex HMAC-SHA256(secret, "v0:{timestamp}:{raw body}").
import crypto from 'node:crypto';

export function signature(secret, timestamp, rawBody) {
  return `v0=${crypto.createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/// POSTs a delivery to the server; `timestamp` (seconds) and `secret` default to valid ones.
export async function deliver(server, body, { timestamp, secret, headers = {} } = {}) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const ts = String(timestamp ?? Math.floor(Date.now() / 1000));
  const h = {
    'content-type': 'application/json',
    'x-zm-request-timestamp': ts,
    'x-zm-signature': signature(secret ?? server.env.ZOOM_WEBHOOK_SECRET_TOKEN, ts, raw),
    ...headers,
  };
  for (const [k, v] of Object.entries(h)) if (v === undefined) delete h[k];
  return server.api('POST', '/api/zoom/webhook', { body: raw, headers: h });
}

const iso = (t) => new Date(t).toISOString().replace('.000Z', 'Z');

export function meetingObject(meetingId, extra = {}) {
  return {
    id: meetingId,
    uuid: `uuid-${meetingId}==`,
    host_id: 'x1yCzABCDEfg23HiJKl4mN',
    topic: `Meeting ${meetingId}`,
    type: 2,
    timezone: 'Europe/Berlin',
    duration: 60,
    ...extra,
  };
}

export function started(meetingId, startTime) {
  return {
    event: 'meeting.started',
    event_ts: startTime,
    payload: { account_id: 'AAAAAABBBB', object: meetingObject(meetingId, { start_time: iso(startTime) }) },
  };
}

export function ended(meetingId, startTime, endTime) {
  return {
    event: 'meeting.ended',
    event_ts: endTime,
    payload: {
      account_id: 'AAAAAABBBB',
      object: meetingObject(meetingId, { start_time: iso(startTime), end_time: iso(endTime) }),
    },
  };
}

/// A participant as Zoom describes them; per-join ids (user_id, participant_uuid) change
/// on every join unless given.
export function person({ name, email = '', accountId = '', registrantId = '', customerKey = '', uuid } = {}) {
  return {
    user_id: String(16778240 + Math.floor(Math.random() * 1e6)),
    user_name: name,
    id: accountId,
    participant_uuid: uuid ?? crypto.randomUUID().toUpperCase(),
    email,
    registrant_id: registrantId,
    participant_user_id: accountId,
    customer_key: customerKey,
    phone_number: '',
  };
}

export function joined(meetingId, who, joinTime, { startTime } = {}) {
  return {
    event: 'meeting.participant_joined',
    event_ts: joinTime + 250,
    payload: {
      account_id: 'AAAAAABBBB',
      object: meetingObject(meetingId, {
        start_time: iso(startTime ?? joinTime),
        participant: { ...who, join_time: iso(joinTime) },
      }),
    },
  };
}

export function left(meetingId, who, leaveTime, { startTime } = {}) {
  const { join_time: _ignored, ...rest } = who;
  return {
    event: 'meeting.participant_left',
    event_ts: leaveTime + 250,
    payload: {
      account_id: 'AAAAAABBBB',
      object: meetingObject(meetingId, {
        start_time: iso(startTime ?? leaveTime),
        participant: { ...rest, leave_time: iso(leaveTime), leave_reason: 'left the meeting' },
      }),
    },
  };
}
