// "My sessions": the signed-in user's attendance history, newest first, a page at a time.

import { api, describeError } from '../api.js';
import { h, notice, replace, uid } from '../dom.js';
import { formatClock, formatDateTime, parseTime, spokenDuration } from '../format.js';

const PAGE_SIZE = 50;
const END_REASONS = { left: 'left', expired: 'timed out', 'meeting-ended': 'ended by the organiser' };

function sessionRow(s, now) {
    const minutes = s.isActive ? Math.max(0, (now - parseTime(s.joinTime)) / 60000) : Number(s.duration) || 0;
    return h('tr', { dataset: { sessionId: s.sessionId, active: String(s.isActive) } },
        h('td', { 'data-label': 'Meeting' },
            h('a', { href: `/meeting/${encodeURIComponent(s.meetingId)}`, 'data-link': true }, s.meetingId)),
        h('td', { 'data-label': 'Joined' }, formatDateTime(parseTime(s.joinTime))),
        h('td', { 'data-label': 'Left' }, s.isActive ? '—' : formatDateTime(parseTime(s.leaveTime))),
        h('td', { 'data-label': 'Duration', class: 'num', 'aria-label': spokenDuration(minutes) }, formatClock(minutes)),
        h('td', { 'data-label': 'Device' }, s.device ?? '—'),
        h('td', { 'data-label': 'Status' }, s.isActive ? h('span', { class: 'badge badge-live' }, 'active')
            : h('span', { class: 'badge' }, END_REASONS[s.endReason] ?? s.endReason ?? 'ended')));
}

export async function render(ctx) {
    document.title = 'My sessions · headcount';
    let sessions = [];
    let more = false;
    const activeOnly = h('input', { id: uid('active-only'), type: 'checkbox' });
    const listBox = h('div', { class: 'table-wrap' }, h('p', { class: 'loading' }, 'Loading your sessions…'));
    const moreButton = h('button', { class: 'button button-quiet', type: 'button', hidden: true }, 'Show older sessions');
    const summary = h('p', { class: 'muted', 'aria-live': 'polite' });

    function draw() {
        const now = Date.now();
        const total = sessions.reduce((sum, s) => sum + (s.isActive
            ? Math.max(0, (now - parseTime(s.joinTime)) / 60000) : Number(s.duration) || 0), 0);
        summary.textContent = sessions.length
            ? `${sessions.length} session${sessions.length === 1 ? '' : 's'} shown, ${formatClock(total)} in total.` : '';
        replace(listBox, sessions.length === 0
            ? h('p', { class: 'empty' }, activeOnly.checked ? 'You are not in any meeting right now.'
                : 'No sessions yet. Open the meeting link you were given to register your attendance.')
            : h('table', { class: 'cards' },
                h('caption', { class: 'visually-hidden' }, 'Your sessions, newest first'),
                h('thead', null, h('tr', null, ['Meeting', 'Joined', 'Left'].map((t) => h('th', { scope: 'col' }, t)),
                    h('th', { scope: 'col', class: 'num' }, 'Duration'),
                    ['Device', 'Status'].map((t) => h('th', { scope: 'col' }, t)))),
                h('tbody', null, sessions.map((s) => sessionRow(s, now)))));
        moreButton.hidden = !more;
    }

    async function load({ append = false } = {}) {
        const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
        if (activeOnly.checked) params.set('active', 'true');
        if (append && sessions.length) params.set('before', sessions[sessions.length - 1].joinTime);
        try {
            const answer = await api('GET', `/api/user-sessions/my-sessions?${params}`, { signal: ctx.signal });
            sessions = append ? sessions.concat(answer.sessions) : answer.sessions;
            more = answer.sessions.length === PAGE_SIZE;
            draw();
        } catch (error) {
            if (!ctx.signal.aborted) replace(listBox, notice('error', `Your sessions could not be loaded: ${describeError(error)}`));
        }
    }

    activeOnly.addEventListener('change', () => load());
    moreButton.addEventListener('click', () => load({ append: true }));
    for (const event of ['userJoinedMeeting', 'userLeftMeeting', 'meetingSessionsEnded']) {
        ctx.onCleanup(ctx.realtime.on(event, () => load()));
    }
    ctx.every(1000, () => {
        const now = Date.now();
        for (const s of sessions.filter((x) => x.isActive)) {
            const cell = listBox.querySelector(`tr[data-session-id="${CSS.escape(s.sessionId)}"] td.num`);
            if (!cell) continue;
            const minutes = Math.max(0, (now - parseTime(s.joinTime)) / 60000);
            cell.textContent = formatClock(minutes);
            cell.setAttribute('aria-label', spokenDuration(minutes));
        }
    });

    replace(ctx.main,
        h('div', { class: 'page-header' }, h('div', null, h('h1', null, 'My sessions'),
            h('p', { class: 'subtitle' }, `Your attendance as ${ctx.user.username}.`))),
        h('section', { class: 'panel', 'aria-labelledby': 'sessions-title' },
            h('h2', { id: 'sessions-title', class: 'visually-hidden' }, 'Sessions'),
            h('div', { class: 'toolbar' }, h('label', { class: 'check', for: activeOnly.id }, activeOnly, 'Only meetings I am in now')),
            summary, listBox, moreButton));
    await load();
}
