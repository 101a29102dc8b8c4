// The dashboard's start page: every meeting with its live/ended state and counts, the
// session statistics, and a way to open a meeting by its id. Refreshed shortly after any event.

import { api, describeError } from '../api.js';
import { field, h, notice, replace, statList, uid } from '../dom.js';
import { ago, formatDateTime, isMeetingId, parseTime } from '../format.js';

const REFRESH_DELAY_MS = 500;
const EVENTS = ['userJoinedMeeting', 'userLeftMeeting', 'participantLinked', 'zoomParticipantJoined',
    'zoomParticipantLeft', 'meetingSessionsEnded'];

function meetingRow(m) {
    const href = `/admin/meetings/${encodeURIComponent(m.meetingId)}`;
    return h('tr', { dataset: { meetingId: m.meetingId } },
        h('td', { 'data-label': 'Meeting' },
            h('a', { href, 'data-link': true }, m.topic || `Meeting ${m.meetingId}`),
            m.topic ? h('div', { class: 'muted' }, m.meetingId) : null),
        h('td', { 'data-label': 'Status' }, h('span', { class: `badge badge-${m.status}` }, m.status)),
        h('td', { 'data-label': 'Started' }, formatDateTime(parseTime(m.startTime))),
        h('td', { 'data-label': 'Ended' }, formatDateTime(parseTime(m.endTime))),
        h('td', { 'data-label': 'Participants', class: 'num' }, m.participantCount),
        h('td', { 'data-label': 'In the meeting now', class: 'num' }, m.activeParticipantCount),
        h('td', { 'data-label': 'Signed-in sessions', class: 'num' }, m.activeSessionCount));
}

export async function render(ctx) {
    document.title = 'Meetings · headcount';
    const statsBox = h('div');
    const listBox = h('div', { class: 'table-wrap' }, h('p', { class: 'loading' }, 'Loading meetings…'));
    const updated = h('p', { class: 'muted' });
    const idInput = h('input', { id: uid('meeting-id'), name: 'meetingId', inputmode: 'text', autocomplete: 'off', required: true });
    const openForm = h('form', { class: 'form-inline', novalidate: true },
        field('Meeting id', idInput, 'Zoom ids are 9–11 digits'),
        h('button', { class: 'button', type: 'submit' }, 'Open'));
    const openError = h('div', { 'aria-live': 'assertive' });
    openForm.addEventListener('submit', (event) => {
        event.preventDefault();
        const id = idInput.value.trim().replace(/\s+/g, '');
        if (!isMeetingId(id)) {
            replace(openError, notice('error', 'A meeting id is 1–64 letters, digits, "-" or "_".'));
            idInput.focus();
            return;
        }
        ctx.navigate(`/admin/meetings/${encodeURIComponent(id)}`);
    });

    replace(ctx.main,
        h('div', { class: 'page-header' },
            h('div', null, h('h1', null, 'Meetings'), h('p', { class: 'subtitle' }, 'Who is attending, live.'))),
        statsBox,
        h('section', { class: 'panel', 'aria-labelledby': 'open-title' },
            h('h2', { id: 'open-title' }, 'Open a meeting'), openForm, openError),
        h('section', { class: 'panel', 'aria-labelledby': 'list-title' },
            h('h2', { id: 'list-title' }, 'All meetings'), updated, listBox));

    let lastLoad = null;
    async function load() {
        const [list, stats] = await Promise.allSettled([
            api('GET', '/api/meetings', { signal: ctx.signal }),
            api('GET', '/api/user-sessions/stats', { signal: ctx.signal }),
        ]);
        if (ctx.signal.aborted) return;
        if (stats.status === 'fulfilled') {
            const s = stats.value.stats;
            replace(statsBox, statList('Session statistics', [
                ['Active sessions', s.totalActiveSessions, 'active-sessions'],
                ['Active users', s.activeUsers, 'active-users'],
                ['Active meetings', s.activeMeetings, 'active-meetings'],
                ['Admins / users signed in', `${s.roleBreakdown?.admin ?? 0} / ${s.roleBreakdown?.user ?? 0}`, 'roles'],
                ['Students with sessions', s.studentsWithSessions, 'students'],
                ['Expired by cleanup', s.cleanup?.sessionsExpired ?? 0, 'expired'],
            ]));
        } else {
            replace(statsBox, notice('error', `Statistics unavailable: ${describeError(stats.reason)}`));
        }
        if (list.status === 'fulfilled') {
            const meetings = list.value.meetings;
            replace(listBox, meetings.length === 0
                ? h('p', { class: 'empty' }, 'No meetings yet. They appear when Zoom reports one or someone registers for one.')
                : h('table', { class: 'cards' },
                    h('caption', { class: 'visually-hidden' }, 'Meetings, newest first'),
                    h('thead', null, h('tr', null,
                        ['Meeting', 'Status', 'Started', 'Ended'].map((t) => h('th', { scope: 'col' }, t)),
                        ['Participants', 'In the meeting now', 'Signed-in sessions'].map((t) => h('th', { scope: 'col', class: 'num' }, t)))),
                    h('tbody', null, meetings.map(meetingRow))));
        } else {
            replace(listBox, notice('error', `Meetings unavailable: ${describeError(list.reason)}`));
        }
        lastLoad = Date.now();
        updated.textContent = `Updated ${ago(lastLoad)}`;
    }

    let timer = null;
    const refresh = () => {
        clearTimeout(timer);
        timer = setTimeout(load, REFRESH_DELAY_MS);
    };
    for (const name of EVENTS) ctx.onCleanup(ctx.realtime.on(name, refresh));
    ctx.onCleanup(ctx.realtime.onResync(refresh));
    ctx.onCleanup(() => clearTimeout(timer));
    ctx.every(5000, () => {
        if (lastLoad) updated.textContent = `Updated ${ago(lastLoad)}`;
    });
    ctx.every(60000, load);
    await load();
}
