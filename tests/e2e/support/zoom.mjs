// Zoom webhooks as Zoom sends them: signed with the server's ZOOM_WEBHOOK_SECRET_TOKEN
// (x-zm-signature = v0= + hex HMAC-SHA256 of "v0:{timestamp}:{body}").
import crypto from 'node:crypto';

export async function zoomWebhook(server, event, object) {
  const body = JSON.stringify({ event, event_ts: Date.now(), payload: { account_id: 'e2e-account', object } });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${crypto.createHmac('sha256', server.env.ZOOM_WEBHOOK_SECRET_TOKEN)
    .update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return server.api('POST', '/api/zoom/webhook', {
    body,
    headers: { 'content-type': 'application/json', 'x-zm-request-timestamp': timestamp, 'x-zm-signature': signature },
  });
}
