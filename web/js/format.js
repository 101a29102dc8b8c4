// How times and durations read on screen (the API speaks ISO-8601 and minutes).

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const shortTime = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/// ms since the epoch, or null, from an ISO string (or null).
export function parseTime(iso) {
    if (!iso) return null;
    const ms = Date.parse(iso);
    return Number.isNaN(ms) ? null : ms;
}

export function formatTime(ms) {
    return ms === null || ms === undefined ? '—' : timeFormat.format(ms);
}

export function formatShortTime(ms) {
    return ms === null || ms === undefined ? '—' : shortTime.format(ms);
}

export function formatDateTime(ms) {
    return ms === null || ms === undefined ? '—' : dateTimeFormat.format(ms);
}

/// 75.5 minutes → "1:15:30"; 3.25 → "3:15".
export function formatClock(minutes) {
    if (minutes === null || minutes === undefined || Number.isNaN(minutes)) return '—';
    const total = Math.max(0, Math.floor(minutes * 60));
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
    return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/// The same duration for screen readers: "1 hour 15 minutes 30 seconds".
export function spokenDuration(minutes) {
    const total = Math.max(0, Math.floor((minutes ?? 0) * 60));
    const parts = [];
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    if (h) parts.push(`${h} hour${h === 1 ? '' : 's'}`);
    if (m) parts.push(`${m} minute${m === 1 ? '' : 's'}`);
    if (s || parts.length === 0) parts.push(`${s} second${s === 1 ? '' : 's'}`);
    return parts.join(' ');
}

/// "2 min ago", "just now".
export function ago(ms, now = Date.now()) {
    if (ms === null || ms === undefined) return 'never';
    const seconds = Math.round((now - ms) / 1000);
    if (seconds < 5) return 'just now';
    if (seconds < 60) return `${seconds} s ago`;
    const minutes = Math.round(seconds / 60);
    if (minutes < 60) return `${minutes} min ago`;
    return formatDateTime(ms);
}

export function percent(ratio) {
    return `${Math.round((ratio || 0) * 100)}%`;
}

/// A meeting id is what the contract allows: 1–64 of [0-9A-Za-z_-].
export function isMeetingId(text) {
    return /^[0-9A-Za-z_-]{1,64}$/.test(text);
}
