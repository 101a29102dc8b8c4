// The "Course" tab of a meeting: every person across its occurrences (GET
// /api/meetings/:id/series), one coloured cell per occurrence, attended N of M and the share of
// the scheduled time; sortable by attendance or name, narrowed to a date range, downloadable
// as the server's CSV matrix.

import { api, describeError } from '../api.js';
import { cellText, rangeQuery, sortPeople } from '../course.js';
import { field, h, notice, replace, uid } from '../dom.js';
import { formatDateTime, parseTime } from '../format.js';

const STATUSES = ['present', 'late', 'partial', 'absent'];

function columnLabel(o) {
    const start = parseTime(o.startTime);
    return start === null ? `Occurrence ${o.occurrenceId}` : formatDateTime(start);
}

/// The course view of `meetingId`; `load()` (re)reads it.
export function createCourse(ctx, meetingId) {
    const base = `/api/meetings/${encodeURIComponent(meetingId)}/series`;
    const fromInput = h('input', { id: uid('course-from'), type: 'date' });
    const toInput = h('input', { id: uid('course-to'), type: 'date' });
    const download = h('button', { class: 'button', type: 'button' }, 'Download CSV');
    const message = h('div', { 'aria-live': 'polite' });
    const summary = h('p', { class: 'muted', 'aria-live': 'polite' });
    const tableBox = h('div', { class: 'table-wrap' }, h('p', { class: 'loading' }, 'Loading the course…'));
    let data = null;
    let sort = { key: 'attended', direction: 'descending' };

    const query = () => rangeQuery(fromInput.value, toInput.value);
    for (const input of [fromInput, toInput]) input.addEventListener('change', () => load());

    download.addEventListener('click', async () => {
        download.disabled = true;
        try {
            const res = await api('GET', `${base}/export.csv${query()}`, { raw: true });
            const url = URL.createObjectURL(await res.blob());
            const link = h('a', { href: url, download: `course-${meetingId}.csv`, hidden: true });
            document.body.append(link);
            link.click();
            link.remove();
            setTimeout(() => URL.revokeObjectURL(url), 60000);
            replace(message, notice('ok', 'The course CSV was downloaded.'));
        } catch (error) {
            replace(message, notice('error', `Download failed: ${describeError(error)}`));
        } finally {
            download.disabled = false;
        }
    });

    function sortButton(label, key) {
        const active = sort.key === key;
        const button = h('button', { class: 'sort-button', type: 'button', dataset: { sort: key } }, label,
            active ? h('span', { 'aria-hidden': 'true' }, sort.direction === 'ascending' ? ' ▲' : ' ▼') : null);
        button.addEventListener('click', () => {
            sort = active
                ? { key, direction: sort.direction === 'ascending' ? 'descending' : 'ascending' }
                : { key, direction: key === 'name' ? 'ascending' : 'descending' };
            draw();
        });
        return h('th', { scope: 'col', class: key === 'name' ? null : 'num', 'aria-sort': active ? sort.direction : 'none' }, button);
    }

    function draw() {
        if (!data) return;
        const { occurrences, people } = data;
        summary.textContent = `${people.length} ${people.length === 1 ? 'person' : 'people'} across ` +
            `${occurrences.length} occurrence${occurrences.length === 1 ? '' : 's'}`;
        if (occurrences.length === 0) {
            replace(tableBox, h('p', { class: 'empty' }, 'No occurrence of this meeting in that range yet.'));
            return;
        }
        const head = h('tr', null,
            sortButton('Name', 'name'),
            occurrences.map((o) => h('th', { scope: 'col', class: 'course-occurrence', dataset: { occurrenceId: o.occurrenceId } },
                columnLabel(o))),
            sortButton('Attended', 'attended'),
            sortButton('Time', 'percent'));
        const rows = sortPeople(people, sort.key, sort.direction).map((p) => h('tr', { dataset: { person: p.personId } },
            h('th', { scope: 'row' }, p.name || p.email || p.personId,
                p.studentId !== null ? h('div', { class: 'muted' }, `Student ${p.studentId}`) : null),
            p.cells.map((c, i) => h('td', {
                class: `course-cell course-${c.status}`,
                dataset: { status: c.status },
                title: `${columnLabel(occurrences[i])}: ${c.status}, ${Math.round(c.minutes)} min`,
            }, h('span', { class: 'visually-hidden' }, `${c.status}, `), cellText(c))),
            h('td', { class: 'num', dataset: { label: 'attended' } }, `${p.attended} of ${p.occurrenceCount}`),
            h('td', { class: 'num', dataset: { label: 'percent' } }, `${p.attendancePercent}%`)));
        const totals = h('tr', { class: 'course-totals' },
            h('th', { scope: 'row' }, 'Attended'),
            occurrences.map((o) => h('td', { class: 'num' }, `${o.totals.attended} of ${people.length}`)),
            h('td'), h('td'));
        replace(tableBox, h('table', { class: 'course', id: 'course' },
            h('caption', { class: 'visually-hidden' }, 'Attendance of each person at each occurrence'),
            h('thead', null, head), h('tbody', null, rows), h('tfoot', null, totals)));
    }

    async function load() {
        try {
            data = await api('GET', `${base}${query()}`, { signal: ctx.signal });
            replace(message);
            draw();
        } catch (error) {
            if (error.name === 'AbortError') return;
            data = null;
            replace(tableBox);
            replace(message, notice('error', `The course could not be loaded: ${describeError(error)}`));
        }
    }

    const legend = h('p', { class: 'course-legend' }, 'Colours: ',
        STATUSES.map((s) => h('span', { class: `badge badge-${s}` }, s)));
    const element = h('div', null,
        h('div', { class: 'toolbar' }, field('From', fromInput), field('To', toInput), h('div', { class: 'spacer' }), download),
        legend, message, summary, tableBox);
    return { element, load };
}
