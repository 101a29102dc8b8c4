// One meeting, live: who is in it (signed-in users with their student records and Zoom
// participants, linked where possible), statistics, the attendance timeline, filters, CSV
// export, ending every session and the roster of expected students.
//
// A meeting id is a series of occurrences: the page opens on the latest and follows new ones,
// a selector shows an earlier one, and the "Course" tab shows everyone across them.
//
// Rows change the moment a Socket.IO event arrives; the server's view (enriched attendance
// plus active sessions) is refetched shortly after a burst of events to settle what only the
// server computes (attendance status, merged intervals). Events of another occurrence than
// the one shown are not applied: they trigger a refetch (a new occurrence, when following
// the latest).

import { api, ApiError, describeError } from '../api.js';
import { parseStudentIds } from '../csv.js';
import { announce, field, h, notice, replace, statList, uid } from '../dom.js';
import { formatClock, formatDateTime, isMeetingId, parseTime, percent, spokenDuration } from '../format.js';
import { durationAt, ParticipantList } from '../participants.js';
import { Timeline } from '../timeline.js';
import { createCourse } from './course.js';

const REFETCH_DELAY_MS = 400;
/// Redrawing the timeline is the costly part of a big meeting: then at most this often.
const TIMELINE_EVERY_MS = 1000;
const ALL_ROWS_EVERY = 10;
const BIG_MEETING = 300;
const DRAW_EVERY_MS = 250;
/// Highlighting new rows helps the eye with a few; with a crowd arriving it is just noise.
const FLASH_AT_MOST = 20;
const SEARCHABLE = ['name', 'username', 'email', 'zoomEmail', 'role', 'linkedBy'];
const EVENTS = ['userJoinedMeeting', 'userLeftMeeting', 'participantLinked', 'zoomParticipantJoined',
    'zoomParticipantLeft', 'meetingSessionsEnded'];

function studentName(student) {
    return student ? `${student.firstName} ${student.lastName}` : '';
}

function statusBadges(row) {
    return h('span', { class: 'status-cell' },
        row.source === 'roster'
            ? h('span', { class: 'badge' }, 'Never joined')
            : h('span', { class: `badge${row.isActive ? ' badge-live' : ''}`, dataset: { presence: row.isActive ? 'active' : 'ended' } },
                row.isActive ? 'In meeting' : 'Left'),
        row.attendanceStatus ? h('span', { class: `badge badge-${row.attendanceStatus}` }, row.attendanceStatus) : null);
}

function authBadge(row) {
    if (row.source === 'roster') return '—';
    if (!row.isAuthenticated) return h('span', { class: 'badge' }, 'Guest');
    return h('span', { class: 'status-cell' },
        h('span', { class: 'badge badge-auth' }, 'Signed in'),
        h('span', { class: 'muted', dataset: { session: row.sessionActive ? 'active' : 'ended' } },
            row.sessionActive ? 'session active' : 'session ended'));
}

const COLUMNS = [
    { label: 'Name', cell: (r) => h('strong', null, r.name || '(no name)') },
    { label: 'Signed in', cell: authBadge },
    { label: 'Username', cell: (r) => r.username ?? '—' },
    { label: 'Email', cell: (r) => r.email ?? '—' },
    { label: 'Role', cell: (r) => r.role ?? '—' },
    { label: 'Student', cell: (r) => (r.student ? `${studentName(r.student)} (${r.student.studentId})` : '—') },
    { label: 'Department', cell: (r) => r.student?.department ?? '—' },
    { label: 'Status', cell: statusBadges },
    { label: 'Duration', num: true, cell: null },
    { label: 'Linked by', cell: (r) => r.linkedBy ?? '—' },
];

const DURATION_COLUMN = COLUMNS.findIndex((c) => c.cell === null);

/// What a row shows except the ticking duration: a changed signature redraws the row.
function signature(row) {
    return JSON.stringify([row.name, row.isAuthenticated, row.sessionActive, row.username, row.email, row.role,
        row.student, row.isActive, row.attendanceStatus, row.linkedBy, row.source, row.isActive ? null : row.duration]);
}

function matchesFilters(row, { search, presence, auth, status }) {
    if (presence === 'active' && !row.isActive) return false;
    if (presence === 'ended' && row.isActive) return false;
    if (auth === 'signed-in' && !row.isAuthenticated) return false;
    if (auth === 'guest' && row.isAuthenticated) return false;
    if (status && row.attendanceStatus !== status) return false;
    if (!search) return true;
    const haystack = [...SEARCHABLE.map((k) => row[k]), studentName(row.student), row.student?.department,
        row.student?.studentId].filter(Boolean).join(' ').toLowerCase();
    return search.split(/\s+/).every((word) => haystack.includes(word));
}

function byJoinThenName(a, b) {
    const ja = a.intervals[0]?.join ?? Infinity;
    const jb = b.intervals[0]?.join ?? Infinity;
    return ja - jb || (a.name ?? '').localeCompare(b.name ?? '');
}

export async function render(ctx) {
    const [meetingId] = ctx.params;
    if (!isMeetingId(meetingId)) {
        replace(ctx.main, h('h1', null, 'Not a meeting id'),
            notice('error', `"${meetingId}" is not a meeting id: use 1–64 letters, digits, "-" or "_".`));
        return;
    }
    document.title = `Meeting ${meetingId} · headcount`;
    const model = new ParticipantList();
    const filters = { search: '', presence: '', auth: '', status: '' };
    let meeting = null;
    /// '' follows the latest occurrence; else the occurrenceId picked.
    let selected = '';
    /// The occurrenceId on screen (null before the meeting has one).
    let shown = null;
    let loaded = false;
    const eventsDuringLoad = [];
    let loading = false;
    let reloadQueued = false;
    let refetchTimer = null;

    const title = h('h1', null, `Meeting ${meetingId}`);
    const subtitle = h('p', { class: 'subtitle' });
    const loadMessage = h('div');
    const statsBox = h('div', { 'aria-live': 'off' });
    const shownCount = h('p', { class: 'muted', 'aria-live': 'polite' });
    const tbody = h('tbody');
    const emptyRow = h('tr', null, h('td', { class: 'empty', colspan: COLUMNS.length }, 'No participants yet. Rows appear here as people join.'));
    const table = h('table', { class: 'cards participants', id: 'participants' },
        h('caption', { class: 'visually-hidden' }, 'Participants of this meeting; rows update live'),
        h('thead', null, h('tr', null, COLUMNS.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.label)))),
        tbody);
    const timelineBox = h('div', { class: 'timeline-body' });
    const timeline = new Timeline(timelineBox);
    const rowElements = new Map();
    const drawnSignatures = new Map();

    // Filters
    const searchInput = h('input', { id: uid('search'), type: 'search', placeholder: 'Name, email, student…', autocomplete: 'off' });
    const presenceSelect = h('select', { id: uid('presence') },
        h('option', { value: '' }, 'Everyone'), h('option', { value: 'active' }, 'In the meeting now'),
        h('option', { value: 'ended' }, 'Left'));
    const authSelect = h('select', { id: uid('auth') },
        h('option', { value: '' }, 'Signed in or not'), h('option', { value: 'signed-in' }, 'Signed in'),
        h('option', { value: 'guest' }, 'Guests (Zoom only)'));
    const statusSelect = h('select', { id: uid('status') },
        h('option', { value: '' }, 'Any'), ['present', 'late', 'partial', 'absent'].map((s) => h('option', { value: s }, s)));
    const onFilter = () => {
        filters.search = searchInput.value.trim().toLowerCase();
        filters.presence = presenceSelect.value;
        filters.auth = authSelect.value;
        filters.status = statusSelect.value;
        draw({ timelineNow: true });
    };
    searchInput.addEventListener('input', onFilter);
    for (const select of [presenceSelect, authSelect, statusSelect]) select.addEventListener('change', onFilter);

    // Actions
    const actionMessage = h('div', { 'aria-live': 'polite' });
    const exportButton = h('button', { class: 'button', type: 'button' }, 'Export CSV');
    const endButton = h('button', { class: 'button button-danger', type: 'button' }, 'End all sessions');
    const confirmEnd = h('button', { class: 'button button-danger', type: 'button', value: 'end' }, 'End all sessions');
    const cancelEnd = h('button', { class: 'button button-quiet', type: 'button' }, 'Cancel');
    const dialog = h('dialog', { 'aria-labelledby': 'end-title' },
        h('h2', { id: 'end-title' }, 'End every session of this meeting?'),
        h('p', null, 'Every signed-in participant is signed out of the meeting now (reason: meeting-ended). Zoom attendance is not changed.'),
        h('div', { class: 'actions' }, confirmEnd, cancelEnd));
    cancelEnd.addEventListener('click', () => dialog.close());

    exportButton.addEventListener('click', async () => {
        exportButton.disabled = true;
        try {
            const which = shown ? `?occurrence=${encodeURIComponent(shown)}` : '';
            const res = await api('GET', `/api/attendance-tracker/attendance/${encodeURIComponent(meetingId)}/export.csv${which}`, { raw: true });
            const url = URL.createObjectURL(await res.blob());
            const link = h('a', { href: url, download: `attendance-${meetingId}.csv`, hidden: true });
            document.body.append(link);
            link.click();
            link.remove();
            setTimeout(() => URL.revokeObjectURL(url), 60000);
            replace(actionMessage, notice('ok', 'The attendance CSV was downloaded.'));
        } catch (error) {
            replace(actionMessage, notice('error', `Export failed: ${describeError(error)}`));
        } finally {
            exportButton.disabled = false;
        }
    });
    endButton.addEventListener('click', () => dialog.showModal());
    confirmEnd.addEventListener('click', async () => {
        confirmEnd.disabled = true;
        try {
            const answer = await api('POST', `/api/user-sessions/meeting/${encodeURIComponent(meetingId)}/end`);
            const text = `Ended ${answer.endedCount} session${answer.endedCount === 1 ? '' : 's'}.`;
            replace(actionMessage, notice('ok', text));
            announce(text);
            scheduleRefetch();
        } catch (error) {
            replace(actionMessage, notice('error', `Could not end the sessions: ${describeError(error)}`));
        } finally {
            confirmEnd.disabled = false;
            dialog.close();
        }
    });

    // Roster
    const rosterText = h('textarea', { id: uid('roster'), rows: 4, placeholder: '12345\n12346' });
    const rosterFile = h('input', { id: uid('roster-file'), type: 'file', accept: '.csv,.txt,text/csv,text/plain' });
    const rosterMessage = h('div', { 'aria-live': 'polite' });
    const rosterSubmit = h('button', { class: 'button', type: 'submit' }, 'Save roster');
    rosterFile.addEventListener('change', async () => {
        const file = rosterFile.files?.[0];
        if (file) rosterText.value = await file.text();
    });
    const rosterForm = h('form', { class: 'form', novalidate: true },
        field('Student ids', rosterText, 'One per line or comma-separated, or a CSV with a studentId column'),
        field('…or read them from a file', rosterFile),
        rosterMessage,
        h('div', null, rosterSubmit));
    rosterForm.addEventListener('submit', async (event) => {
        event.preventDefault();
        const { ids, errors } = parseStudentIds(rosterText.value);
        if (errors.length) {
            replace(rosterMessage, notice('error', h('p', null, 'Fix these lines first:'),
                h('ul', { class: 'error-list' }, errors.map((e) => h('li', null, `Line ${e.line}: ${e.message}`)))));
            return;
        }
        rosterSubmit.disabled = true;
        try {
            const answer = await api('PUT', `/api/meetings/${encodeURIComponent(meetingId)}/roster`, { json: { studentIds: ids } });
            replace(rosterMessage, notice('ok', `Roster saved: ${answer.studentIds.length} expected student${answer.studentIds.length === 1 ? '' : 's'}.`));
            scheduleRefetch();
        } catch (error) {
            replace(rosterMessage, notice('error', `The roster was not saved: ${describeError(error)}`));
        } finally {
            rosterSubmit.disabled = false;
        }
    });

    // Occurrences and tabs
    const occurrenceSelect = h('select', { id: uid('occurrence') }, h('option', { value: '' }, 'Latest'));
    occurrenceSelect.addEventListener('change', () => {
        selected = occurrenceSelect.value;
        shown = null;
        model.reset(null, [], Date.now());
        loaded = false;
        draw({ timelineNow: true });
        load();
    });
    const course = createCourse(ctx, meetingId);
    // The panels are not labelled by their tabs: "Attendance" already names the status filter.
    const attendancePanel = h('div', { role: 'tabpanel', id: uid('panel') });
    const coursePanel = h('div', { role: 'tabpanel', id: uid('panel'), hidden: true }, course.element);
    const attendanceTab = h('button', { class: 'tab', type: 'button', role: 'tab', 'aria-controls': attendancePanel.id, 'aria-selected': 'true' }, 'Attendance');
    const courseTab = h('button', { class: 'tab', type: 'button', role: 'tab', 'aria-controls': coursePanel.id, 'aria-selected': 'false', tabindex: '-1' }, 'Course');
    function selectTab(tab) {
        const onCourse = tab === courseTab;
        for (const [t, panel, on] of [[attendanceTab, attendancePanel, !onCourse], [courseTab, coursePanel, onCourse]]) {
            t.setAttribute('aria-selected', String(on));
            t.tabIndex = on ? 0 : -1;
            panel.hidden = !on;
        }
        if (onCourse) course.load();
    }
    attendanceTab.addEventListener('click', () => selectTab(attendanceTab));
    courseTab.addEventListener('click', () => selectTab(courseTab));
    const tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Meeting views' }, attendanceTab, courseTab);
    tabs.addEventListener('keydown', (event) => {
        if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
        const next = document.activeElement === attendanceTab ? courseTab : attendanceTab;
        selectTab(next);
        next.focus();
    });

    /// The selector's options: "Latest", then every occurrence newest first.
    function drawOccurrences(list) {
        const options = [h('option', { value: '' }, 'Latest')];
        for (const o of list) {
            const start = parseTime(o.startTime);
            const when = start === null ? 'not started' : formatDateTime(start);
            options.push(h('option', { value: o.occurrenceId }, `${when} · ${o.status} · ${o.participantCount} participant${o.participantCount === 1 ? '' : 's'}`));
        }
        if (selected && !list.some((o) => o.occurrenceId === selected)) selected = '';
        replace(occurrenceSelect, options);
        occurrenceSelect.value = selected;
    }

    replace(attendancePanel,
        loadMessage,
        h('section', { 'aria-labelledby': 'stats-title' }, h('h2', { id: 'stats-title', class: 'visually-hidden' }, 'Statistics'), statsBox),
        h('section', { class: 'panel', 'aria-labelledby': 'participants-title' },
            h('h2', { id: 'participants-title' }, 'Participants'),
            h('div', { class: 'toolbar', role: 'search' },
                field('Search', searchInput),
                field('Presence', presenceSelect),
                field('Sign-in', authSelect),
                field('Attendance', statusSelect)),
            shownCount,
            h('div', { class: 'table-wrap' }, table)),
        h('section', { class: 'panel', 'aria-labelledby': 'timeline-title' },
            h('h2', { id: 'timeline-title' }, 'Timeline'),
            h('figure', { class: 'timeline' }, h('figcaption', { class: 'visually-hidden' }, 'Join and leave times of each participant'), timelineBox)),
        h('section', { class: 'panel', 'aria-labelledby': 'roster-title' },
            h('h2', { id: 'roster-title' }, 'Expected students (roster)'),
            h('p', { class: 'muted' }, 'Rostered students who never attend are listed as absent in every occurrence.'),
            rosterForm));
    replace(ctx.main,
        h('div', { class: 'page-header' },
            h('div', null, h('p', { class: 'subtitle' }, h('a', { href: '/', 'data-link': true }, '← All meetings')), title, subtitle),
            h('div', { class: 'actions' }, exportButton, endButton)),
        h('div', { class: 'toolbar occurrence-bar' }, field('Occurrence', occurrenceSelect, 'Latest follows each new class'), tabs),
        actionMessage,
        attendancePanel,
        coursePanel,
        dialog);

    function drawHeader() {
        const status = meeting?.status ?? (model.size ? 'live' : null);
        replace(subtitle,
            status ? h('span', { class: `badge badge-${status}`, dataset: { meetingStatus: status } }, status) : null,
            meeting?.topic ? ` Meeting ${meetingId}` : '',
            meeting?.startTime ? ` · started ${formatDateTime(parseTime(meeting.startTime))}` : '',
            meeting?.endTime ? ` · ended ${formatDateTime(parseTime(meeting.endTime))}` : '');
        title.textContent = meeting?.topic ? `${meeting.topic}` : `Meeting ${meetingId}`;
    }

    function drawStats(now) {
        const s = model.stats(now);
        replace(statsBox,
            statList('Authentication statistics', [
                ['Participants', s.totalParticipants, 'participants'],
                ['In the meeting now', s.inMeeting, 'in-meeting'],
                ['Signed in', `${s.authenticatedParticipants} (${percent(s.authenticationRate)})`, 'authenticated'],
                ['Guests (Zoom only)', s.unauthenticatedParticipants, 'guests'],
                ['Students identified', s.studentsIdentified, 'students'],
                ['Active sessions', s.activeUserSessions, 'active-sessions'],
                ['Sessions not linked to Zoom', s.unlinkedUserSessions, 'unlinked'],
            ]),
            statList('Attendance statuses', [
                ['Present', s.present, 'present'],
                ['Late', s.late, 'late'],
                ['Partial', s.partial, 'partial'],
                ['Absent', s.absent, 'absent'],
            ]));
    }

    function drawDuration(cell, row, now) {
        const minutes = durationAt(row, now);
        cell.textContent = formatClock(minutes);
        cell.setAttribute('aria-label', spokenDuration(minutes));
    }

    // Ticking thousands of durations every second would lay the table out every second: the
    // rows on screen tick each second, the others every ALL_ROWS_EVERY ticks.
    const visibleRows = new Set();
    const rowObserver = new IntersectionObserver((entries) => {
        const now = Date.now();
        for (const entry of entries) {
            const key = entry.target.dataset.key;
            const row = model.rows.get(key);
            if (!entry.isIntersecting) {
                visibleRows.delete(key);
            } else if (row) {
                visibleRows.add(key);
                drawDuration(entry.target.cells[DURATION_COLUMN], row, now);
            }
        }
    });
    ctx.onCleanup(() => rowObserver.disconnect());

    function buildRow(row, now) {
        const tr = h('tr', { dataset: { key: row.key } });
        fillRow(tr, row, now);
        rowObserver.observe(tr);
        return tr;
    }

    function fillRow(tr, row, now) {
        tr.dataset.active = String(row.isActive);
        drawnSignatures.set(row.key, signature(row));
        tr.dataset.username = row.username ?? '';
        tr.dataset.email = (row.email ?? '').toLowerCase();
        replace(tr, COLUMNS.map((c) => {
            const td = h('td', { 'data-label': c.label, class: c.num ? 'num duration' : null });
            if (c.cell) replace(td, c.cell(row));
            else drawDuration(td, row, now);
            return td;
        }));
    }

    function draw({ timelineNow = false } = {}) {
        const now = Date.now();
        const all = model.list().sort(byJoinThenName);
        const shown = all.filter((row) => matchesFilters(row, filters));
        const keep = new Set(shown.map((r) => r.key));
        for (const [key, tr] of rowElements) {
            if (!keep.has(key)) {
                rowObserver.unobserve(tr);
                tr.remove();
                rowElements.delete(key);
                drawnSignatures.delete(key);
                visibleRows.delete(key);
            }
        }
        let previous = null;
        const flash = loaded && shown.filter((row) => !rowElements.has(row.key)).length <= FLASH_AT_MOST;
        for (const row of shown) {
            let tr = rowElements.get(row.key);
            if (!tr) {
                tr = buildRow(row, now);
                if (flash) tr.classList.add('row-new');
                rowElements.set(row.key, tr);
            } else if (drawnSignatures.get(row.key) !== signature(row)) {
                fillRow(tr, row, now);
            }
            const expected = previous ? previous.nextSibling : tbody.firstChild;
            if (expected !== tr) tbody.insertBefore(tr, expected);
            previous = tr;
        }
        if (shown.length === 0) tbody.append(emptyRow);
        else emptyRow.remove();
        shownCount.textContent = shown.length === all.length ? `${all.length} participant${all.length === 1 ? '' : 's'}`
            : `Showing ${shown.length} of ${all.length} participants`;
        drawHeader();
        drawStats(now);
        drawTimelineSoon(shown, timelineNow);
    }

    let timelineRows = [];
    let timelineDrawnAt = 0;
    let timelineTimer = null;
    /// `immediately`: someone changed a filter and expects the chart to follow at once.
    function drawTimelineSoon(rows, immediately) {
        timelineRows = rows;
        if (immediately) clearTimeout(timelineTimer);
        else if (timelineTimer) return;
        const wait = immediately || model.size <= BIG_MEETING ? 0
            : Math.max(0, timelineDrawnAt + TIMELINE_EVERY_MS - Date.now());
        timelineTimer = setTimeout(() => {
            timelineTimer = null;
            timelineDrawnAt = Date.now();
            timeline.draw(timelineRows, {
                start: parseTime(meeting?.startTime),
                end: parseTime(meeting?.endTime),
                live: meeting ? meeting.status !== 'ended' : true,
            }, timelineDrawnAt);
        }, wait);
    }

    /// Events come in bursts (a class joining at once): one redraw per frame is enough, and
    /// for a big meeting, whose every redraw lays out a long table, one per DRAW_EVERY_MS.
    let frame = null;
    let drawnAt = 0;
    function drawSoon() {
        if (frame !== null) return;
        const wait = model.size > BIG_MEETING ? Math.max(0, drawnAt + DRAW_EVERY_MS - Date.now()) : 0;
        frame = setTimeout(() => requestAnimationFrame(() => {
            frame = null;
            if (ctx.signal.aborted) return;
            drawnAt = Date.now();
            draw();
        }), wait);
    }

    let ticks = 0;
    function tick() {
        const now = Date.now();
        ticks += 1;
        const keys = ticks % ALL_ROWS_EVERY === 0 ? rowElements.keys() : visibleRows;
        for (const key of keys) {
            const row = model.rows.get(key);
            if (!row?.isActive) continue;
            const cell = rowElements.get(key)?.cells[DURATION_COLUMN];
            if (cell) drawDuration(cell, row, now);
        }
        timeline.tick(now);
    }

    async function load() {
        if (loading) {
            reloadQueued = true;
            return;
        }
        loading = true;
        const id = encodeURIComponent(meetingId);
        const which = selected ? `&occurrence=${encodeURIComponent(selected)}` : '';
        const [attendance, sessions, list] = await Promise.allSettled([
            api('GET', `/api/attendance-tracker/attendance/${id}?enriched=true${which}`, { signal: ctx.signal }),
            api('GET', `/api/user-sessions/meeting/${id}/authenticated-participants`, { signal: ctx.signal }),
            api('GET', `/api/meetings/${id}/occurrences`, { signal: ctx.signal }),
        ]);
        loading = false;
        const lateEvents = eventsDuringLoad.splice(0);
        if (ctx.signal.aborted) return;
        if (reloadQueued) {
            reloadQueued = false;
            scheduleRefetch();
        }
        // 404: a meeting the tracker has not seen yet; the signed-in sessions still count
        const unseen = attendance.status === 'rejected' && attendance.reason instanceof ApiError &&
            attendance.reason.status === 404;
        const failed = [attendance, sessions].find((r) => r.status === 'rejected' && !(r === attendance && unseen));
        if (failed) {
            // keep what is on screen (the events keep it current) and try again
            replace(loadMessage, notice('error', `Could not load everything: ${describeError(failed.reason)}. Retrying…`));
            clearTimeout(refetchTimer);
            refetchTimer = setTimeout(load, 3000);
            if (!loaded) draw();
            return;
        }
        const attendanceValue = unseen ? null : attendance.value;
        meeting = attendanceValue?.meeting ?? meeting;
        shown = attendanceValue?.meeting?.occurrenceId ?? null;
        if (list.status === 'fulfilled') drawOccurrences(list.value.occurrences);
        const now = Date.now();
        // The active sessions of the meeting, those of the occurrence shown.
        const active = sessions.value.participants.filter((s) => !shown || s.occurrenceId === shown);
        model.reset(attendanceValue, active, now);
        // Events that came while the answers were on their way may be newer than them: apply
        // them again on top (each is idempotent), so a row never blinks back to an older state.
        for (const [name, e] of lateEvents) {
            if (concernsShown(e)) applyEvent(name, e, now);
        }
        replace(loadMessage, unseen && model.size === 0
            ? notice('', 'Zoom has not reported this meeting yet. Signed-in participants appear here as they register.')
            : null);
        draw();
        loaded = true;
    }

    function scheduleRefetch() {
        clearTimeout(refetchTimer);
        refetchTimer = setTimeout(load, REFETCH_DELAY_MS);
    }

    const pendingAnnouncements = [];
    let announceTimer = null;
    function say(text) {
        pendingAnnouncements.push(text);
        if (announceTimer) return;
        announceTimer = setTimeout(() => {
            announceTimer = null;
            const all = pendingAnnouncements.splice(0);
            announce(all.length > 3 ? `${all.length} changes among the participants` : all.join('. '));
        }, 1500);
    }

    /// What each event changes in the model; safe to apply twice (see load()).
    const apply = {
        userJoinedMeeting: (e, now) => model.userJoined(e, now),
        userLeftMeeting: (e, now) => model.userLeft(e, now),
        participantLinked: (e, now) => model.linked(e, now),
        zoomParticipantJoined: (e, now) => model.zoomChanged(e, now),
        zoomParticipantLeft: (e, now) => model.zoomChanged(e, now),
        meetingSessionsEnded: (e, now) => model.sessionsEnded(e, now),
    };
    const spoken = {
        userJoinedMeeting: (e) => `${e.user.username} joined`,
        userLeftMeeting: (e) => `${e.user.username} left`,
        participantLinked: (e) => `${e.participant.participantName ?? 'A Zoom participant'} was linked by ${e.linkedBy}`,
        zoomParticipantJoined: (e) => `${e.participant.participantName ?? 'Someone'} joined on Zoom`,
        zoomParticipantLeft: (e) => `${e.participant.participantName ?? 'Someone'} left Zoom`,
        meetingSessionsEnded: (e) => `${e.endedBy?.username ?? 'An administrator'} ended ${e.endedCount} sessions`,
    };
    function applyEvent(name, e, now) {
        try {
            apply[name](e, now);
        } catch (error) {
            console.error(`could not apply ${name}`, error);
        }
        // Zoom reporting people means the meeting is on, whatever the last fetch said
        if (name.startsWith('zoom') && meeting?.status === 'scheduled') meeting = { ...meeting, status: 'live' };
    }
    /// Whether an event is about the occurrence on screen. Meeting-wide events (an admin's End)
    /// carry no occurrenceId; before the meeting has an occurrence on screen, following the
    /// latest, every event is.
    function concernsShown(e) {
        if (!e.occurrenceId) return true;
        if (shown === null) return !selected;
        return e.occurrenceId === shown;
    }
    for (const name of EVENTS) {
        ctx.onCleanup(ctx.realtime.on(name, (e) => {
            if (e?.meetingId !== meetingId) return;
            if (loading) eventsDuringLoad.push([name, e]);
            if (concernsShown(e)) {
                applyEvent(name, e, Date.now());
                say(spoken[name](e));
                drawSoon();
            }
            scheduleRefetch();
        }));
    }
    ctx.realtime.subscribe(meetingId);
    ctx.onCleanup(() => ctx.realtime.unsubscribe(meetingId));
    ctx.onCleanup(ctx.realtime.onResync(scheduleRefetch));
    ctx.onCleanup(() => {
        clearTimeout(refetchTimer);
        clearTimeout(announceTimer);
        clearTimeout(timelineTimer);
        clearTimeout(frame);
    });
    ctx.every(1000, tick);

    draw();
    await load();
}
