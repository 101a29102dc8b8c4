// The meeting page for participants (/meeting/:meetingId): registers the signed-in user for
// attendance as soon as it opens (join-meeting), keeps the session alive with heartbeats
// while it stays open, retries with backoff while the network or server is away, and leaves
// when the page closes (a keepalive fetch, which outlives the page and can carry the token).

import { api, ApiError, describeError, isTransient } from '../api.js';
import { updateUser } from '../auth.js';
import { h, notice, replace } from '../dom.js';
import { ago, formatClock, formatDateTime, formatTime, isMeetingId, parseTime, spokenDuration } from '../format.js';

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30000;
const DEFAULT_HEARTBEAT_SECONDS = 60;
const HISTORY_LIMIT = 500;

let clientSettings = null;

/// The server's pacing for heartbeats (GET /config.json), fetched once per page load.
async function heartbeatMs() {
    if (!clientSettings) {
        try {
            const res = await fetch('/config.json', { cache: 'no-cache' });
            clientSettings = res.ok ? await res.json() : {};
        } catch {
            clientSettings = {};
        }
    }
    return (clientSettings.heartbeatSeconds || DEFAULT_HEARTBEAT_SECONDS) * 1000;
}

/// Full jitter around an exponential backoff, or what Retry-After asks for.
function backoffMs(attempt, error) {
    if (error?.retryAfterSeconds) return error.retryAfterSeconds * 1000;
    const ceiling = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempt - 1));
    return ceiling / 2 + Math.random() * (ceiling / 2);
}

function device() {
    const mobile = /Mobi|Android|iPhone|iPad/i.test(navigator.userAgent);
    return mobile ? 'Mobile Web Browser' : 'Web Browser';
}

const END_REASONS = {
    left: 'left',
    expired: 'timed out',
    'meeting-ended': 'ended by the organiser',
};

export async function render(ctx) {
    const [meetingId] = ctx.params;
    document.title = `Meeting ${meetingId} · headcount`;
    if (!isMeetingId(meetingId)) {
        replace(ctx.main, h('section', { class: 'panel' }, h('h1', null, 'This is not a meeting link'),
            notice('error', `"${meetingId}" is not a meeting id. Check the link you were given.`)));
        return;
    }

    const interval = await heartbeatMs();
    if (ctx.signal.aborted) return;

    // state: registering | active | retrying | left | ended | error
    let state = 'registering';
    let sessionId = null;
    let joinTime = null;
    let student = null;
    let lastConfirmed = null;
    let lastError = null;
    let attempt = 0;
    let timer = null;
    let nextTryAt = null;
    let history = [];
    let closed = false;

    const statusBox = h('div', { 'aria-live': 'polite' });
    const clock = h('p', { class: 'big-clock', 'aria-hidden': 'true' }, '0:00');
    const clockSpoken = h('span', { class: 'visually-hidden' });
    const details = h('dl', { class: 'kv' });
    const actions = h('div', { class: 'actions' });
    const historyBox = h('div', { class: 'table-wrap' });
    const offlineBox = h('div');

    replace(ctx.main,
        h('div', { class: 'page-header' }, h('div', null,
            h('h1', null, `Meeting ${meetingId}`),
            h('p', { class: 'subtitle' }, `Signed in as ${ctx.user.username}. Keep this page open while you attend.`))),
        offlineBox,
        h('section', { class: 'panel', 'aria-labelledby': 'attendance-title' },
            h('h2', { id: 'attendance-title' }, 'Your attendance'),
            statusBox,
            h('div', { class: 'attendance-clock' }, h('span', { class: 'muted' }, 'Time in this session'), clock, clockSpoken),
            details,
            actions),
        h('section', { class: 'panel', 'aria-labelledby': 'history-title' },
            h('h2', { id: 'history-title' }, 'Your sessions in this meeting'),
            historyBox));

    function schedule(fn, ms) {
        clearTimeout(timer);
        nextTryAt = Date.now() + ms;
        timer = setTimeout(fn, ms);
    }

    function retry(fn, error) {
        attempt += 1;
        lastError = error;
        state = 'retrying';
        schedule(fn, backoffMs(attempt, error));
        draw();
    }

    async function register() {
        clearTimeout(timer);
        if (closed) return;
        if (state !== 'retrying') state = 'registering';
        draw();
        try {
            const answer = await api('POST', '/api/user-sessions/join-meeting', {
                json: { meetingId, participantData: { device: device() } },
            });
            if (closed) return;
            attempt = 0;
            lastError = null;
            sessionId = answer.sessionId;
            joinTime = parseTime(answer.userData.joinTime);
            student = answer.userData.student;
            lastConfirmed = Date.now();
            state = 'active';
            sessionStorage.setItem('meetingSessionId', sessionId);
            updateUser(answer.userData.user);
            schedule(heartbeat, interval);
            loadHistory();
        } catch (error) {
            if (closed) return;
            if (isTransient(error)) {
                retry(register, error);
                return;
            }
            lastError = error;
            state = 'error';
        }
        draw();
    }

    async function heartbeat() {
        if (closed || !sessionId) return;
        try {
            await api('POST', '/api/user-sessions/activity', { json: { sessionId } });
            if (closed) return;
            attempt = 0;
            lastError = null;
            lastConfirmed = Date.now();
            state = 'active';
            schedule(heartbeat, interval * (0.9 + Math.random() * 0.1));
        } catch (error) {
            if (closed) return;
            if (error instanceof ApiError && error.code === 'no_active_session') {
                await sessionGone();
                return;
            }
            if (isTransient(error)) {
                retry(heartbeat, error);
                return;
            }
            lastError = error;
            state = 'error';
        }
        draw();
    }

    /// The session ended without this page leaving: find out why before registering again.
    async function sessionGone(knownReason) {
        let reason = knownReason;
        if (!reason) {
            try {
                const answer = await api('GET', '/api/user-sessions/my-sessions?limit=50');
                reason = answer.sessions.find((s) => s.sessionId === sessionId)?.endReason;
            } catch {
                reason = null;
            }
        }
        if (closed) return;
        if (reason === 'meeting-ended') {
            endedByOrganiser();
            return;
        }
        // expired (the computer slept) or left from another tab: this page is still open
        sessionId = null;
        register();
    }

    function endedByOrganiser() {
        clearTimeout(timer);
        sessionId = null;
        state = 'ended';
        draw();
        loadHistory();
    }

    async function leave() {
        clearTimeout(timer);
        const id = sessionId;
        sessionId = null;
        state = 'left';
        draw();
        if (!id) return;
        try {
            await api('POST', '/api/user-sessions/leave-meeting', { json: { sessionId: id } });
        } catch (error) {
            if (!(error instanceof ApiError && error.code === 'no_active_session')) {
                lastError = error;
                draw();
            }
        }
        loadHistory();
    }

    /// The page is going away: a keepalive request still reaches the server afterwards.
    function leaveOnClose() {
        if (!sessionId) return;
        const id = sessionId;
        sessionId = null;
        clearTimeout(timer);
        api('POST', '/api/user-sessions/leave-meeting', { json: { sessionId: id }, keepalive: true }).catch(() => {});
    }

    async function loadHistory() {
        try {
            const answer = await api('GET', `/api/user-sessions/my-sessions?limit=${HISTORY_LIMIT}`, { signal: ctx.signal });
            history = answer.sessions.filter((s) => s.meetingId === meetingId);
        } catch (error) {
            if (ctx.signal.aborted) return;
        }
        drawHistory();
    }

    function statusNotice() {
        switch (state) {
        case 'registering':
            return notice('', h('p', null, 'Registering your attendance…'));
        case 'active':
            return notice('ok', h('p', { 'data-state': 'active' }, h('strong', null, 'You are registered for attendance.'),
                ' The organiser can see you in the meeting.'));
        case 'retrying':
            return notice('warn', h('p', { 'data-state': 'retrying' },
                h('strong', null, sessionId ? 'Your attendance could not be confirmed.' : 'You are not registered yet.'),
                ` ${describeError(lastError)} `,
                // the countdown changes every second: not something to read out each time
                h('span', { 'aria-live': 'off' }, countdown)));
        case 'left':
            return notice('', h('p', { 'data-state': 'left' }, h('strong', null, 'You left the meeting.'),
                ' Your attendance so far is kept.'));
        case 'ended':
            return notice('warn', h('p', { 'data-state': 'ended' }, h('strong', null, 'The organiser ended the sessions of this meeting.'),
                ' Register again if you are still attending.'));
        case 'error':
        default:
            return notice('error', h('p', { 'data-state': 'error' }, `Your attendance could not be registered: ${describeError(lastError)}`));
        }
    }

    const countdown = h('span');
    function drawCountdown() {
        const seconds = Math.max(0, Math.ceil((nextTryAt - Date.now()) / 1000));
        countdown.textContent = seconds > 0 ? `Trying again in ${seconds} s.` : 'Trying again…';
    }

    function draw() {
        drawCountdown();
        replace(statusBox, statusNotice());
        drawDetails();
        const active = state === 'active' || (state === 'retrying' && sessionId);
        replace(actions, active
            ? h('button', { class: 'button button-quiet', type: 'button', onclick: leave }, 'Leave meeting')
            : (state === 'left' || state === 'ended' || state === 'error')
                ? h('button', { class: 'button', type: 'button', onclick: () => { attempt = 0; register(); } }, 'Register again')
                : null);
        tickClock();
    }

    function drawDetails() {
        const rows = [
            ['Joined', joinTime ? formatDateTime(joinTime) : '—'],
            ['Last confirmed', lastConfirmed ? `${formatTime(lastConfirmed)} (${ago(lastConfirmed)})` : '—'],
            ['Student record', student ? `${student.firstName} ${student.lastName}, ${student.department} (${student.studentId})` : 'not matched'],
        ];
        replace(details, rows.map(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
    }

    function tickClock() {
        const active = sessionId && joinTime !== null;
        const minutes = active ? Math.max(0, (Date.now() - joinTime) / 60000) : 0;
        clock.textContent = formatClock(minutes);
        clockSpoken.textContent = active ? `${spokenDuration(minutes)} in this session` : 'not in a session';
    }

    const historyTotal = h('p');
    function drawHistoryTotal() {
        const now = Date.now();
        const total = history.reduce((sum, s) => sum + (s.isActive
            ? Math.max(0, (now - parseTime(s.joinTime)) / 60000) : Number(s.duration) || 0), 0);
        historyTotal.textContent = `In total: ${formatClock(total)} (${spokenDuration(total)}) over ` +
            `${history.length} session${history.length === 1 ? '' : 's'}.`;
    }

    function drawHistory() {
        if (history.length === 0) {
            replace(historyBox, h('p', { class: 'empty' }, 'No sessions yet.'));
            return;
        }
        drawHistoryTotal();
        replace(historyBox,
            historyTotal,
            h('table', { class: 'cards' },
                h('caption', { class: 'visually-hidden' }, 'Your sessions in this meeting, newest first'),
                h('thead', null, h('tr', null, ['Joined', 'Left', 'Duration', 'Status'].map((t) => h('th', { scope: 'col' }, t)))),
                h('tbody', null, history.map((s) => h('tr', { dataset: { sessionId: s.sessionId } },
                    h('td', { 'data-label': 'Joined' }, formatDateTime(parseTime(s.joinTime))),
                    h('td', { 'data-label': 'Left' }, s.isActive ? '—' : formatDateTime(parseTime(s.leaveTime))),
                    h('td', { 'data-label': 'Duration' }, s.isActive ? 'ongoing' : formatClock(Number(s.duration) || 0)),
                    h('td', { 'data-label': 'Status' }, s.isActive
                        ? h('span', { class: 'badge badge-live' }, 'active')
                        : h('span', { class: 'badge' }, END_REASONS[s.endReason] ?? s.endReason)))))));
    }

    function drawOffline() {
        replace(offlineBox, navigator.onLine ? null
            : notice('warn', h('p', null, h('strong', null, 'You are offline.'), ' Your attendance is confirmed again as soon as the connection is back.')));
    }

    const onOnline = () => {
        drawOffline();
        if (state === 'retrying') {
            attempt = 0;
            schedule(sessionId ? heartbeat : register, 0);
        }
    };
    const onPageHide = () => leaveOnClose();
    const onPageShow = (event) => {
        // back from the back/forward cache: this page had left, so register again
        if (event.persisted && !closed) register();
    };
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', drawOffline);
    window.addEventListener('pagehide', onPageHide);
    window.addEventListener('pageshow', onPageShow);
    ctx.onCleanup(() => {
        window.removeEventListener('online', onOnline);
        window.removeEventListener('offline', drawOffline);
        window.removeEventListener('pagehide', onPageHide);
        window.removeEventListener('pageshow', onPageShow);
        // navigating elsewhere in the app also closes this page
        leaveOnClose();
        closed = true;
        clearTimeout(timer);
    });
    ctx.onCleanup(ctx.realtime.on('userLeftMeeting', (e) => {
        if (sessionId && e.sessionId === sessionId) sessionGone(e.reason);
    }));
    ctx.onCleanup(ctx.realtime.on('meetingSessionsEnded', (e) => {
        if (sessionId && e.meetingId === meetingId) endedByOrganiser();
    }));
    ctx.every(1000, () => {
        tickClock();
        drawCountdown();
        drawDetails();
        if (history.some((s) => s.isActive)) drawHistoryTotal();
    });

    drawOffline();
    draw();
    drawHistory();
    await register();
}
