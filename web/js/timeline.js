// The attendance timeline (a Gantt chart): one track per participant with a bar per
// join/leave interval, on the meeting's time axis.
//
// Positions are CSS: each bar carries its interval as custom properties (--from, --to, in
// minutes since the axis origin) and the chart carries the axis (--start, --span) and the
// present (--now); `left` and `width` are computed from those in app.css. So the passing of
// time is one property on the chart, not a write per bar, and a row whose intervals did not
// change is never rebuilt. Custom properties are set through the CSSOM, which the page's CSP
// allows (style attributes it does not).

import { h, replace } from './dom.js';
import { formatShortTime, formatTime } from './format.js';

const MINUTE = 60000;
const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 240, 480].map((m) => m * MINUTE);
const MAX_TICKS = 8;

/// The axis for a meeting window: where it starts, ends (rounded up to a tick) and its ticks.
function axisFor(start, end) {
    const range = Math.max(end - start, 5 * MINUTE);
    const step = STEPS.find((s) => range / s <= MAX_TICKS) ?? STEPS[STEPS.length - 1];
    const axisEnd = start + Math.ceil(range / step) * step;
    const ticks = [];
    for (let t = start; t <= axisEnd; t += step) ticks.push(t);
    return { start, end: axisEnd, ticks };
}

function rowSignature(row) {
    return JSON.stringify([row.name, row.intervals]);
}

export class Timeline {
    constructor(container) {
        this.container = container;
        this.origin = null;
        this.axis = null;
        this.window = null;
        this.items = new Map();
        this.scale = h('div', { class: 'timeline-scale' });
        this.list = h('ol', { class: 'timeline-rows' });
        this.empty = h('p', { class: 'empty' }, 'No one has attended yet.');
        this.chart = h('div', { class: 'timeline-chart' },
            h('div', { class: 'timeline-axis', 'aria-hidden': 'true' }, h('span', null, 'Participant'), this.scale),
            this.list,
            h('div', { class: 'legend', 'aria-hidden': 'true' },
                h('span', null, h('span', { class: 'legend-swatch' }), 'attended'),
                h('span', null, h('span', { class: 'legend-swatch', 'data-open': 'true' }), 'in the meeting now')));
    }

    /// `rows` as the table shows them; `window` {start, end, live} in ms.
    draw(rows, window, now) {
        this.window = window;
        if (rows.length === 0) {
            replace(this.container, this.empty);
            this.items.clear();
            this.list.replaceChildren();
            return;
        }
        if (this.empty.isConnected || !this.chart.isConnected) replace(this.container, this.chart);
        const joins = rows.flatMap((r) => r.intervals.map((i) => i.join));
        const start = window.start ?? (joins.length ? Math.min(...joins) : now);
        // minutes since the first axis start keep the custom properties small numbers
        if (this.origin === null) this.origin = start;
        this.setAxis(start, window.live ? now : window.end ?? now);
        this.chart.dataset.live = String(Boolean(window.live));
        this.setNow(now);

        const keep = new Set(rows.map((r) => r.key));
        for (const [key, item] of this.items) {
            if (!keep.has(key)) {
                item.li.remove();
                this.items.delete(key);
            }
        }
        let previous = null;
        for (const row of rows) {
            const signature = rowSignature(row);
            let item = this.items.get(row.key);
            if (!item || item.signature !== signature) {
                const li = this.drawRow(row);
                if (item) item.li.replaceWith(li);
                item = { li, signature };
                this.items.set(row.key, item);
            }
            const expected = previous ? previous.nextSibling : this.list.firstChild;
            if (expected !== item.li) this.list.insertBefore(item.li, expected);
            previous = item.li;
        }
    }

    minutes(t) {
        return (t - this.origin) / MINUTE;
    }

    setAxis(start, end) {
        const axis = axisFor(start, Math.max(end, start));
        if (this.axis && this.axis.start === axis.start && this.axis.end === axis.end) return;
        this.axis = axis;
        this.chart.style.setProperty('--start', String(this.minutes(axis.start)));
        this.chart.style.setProperty('--span', String((axis.end - axis.start) / MINUTE));
        replace(this.scale, axis.ticks.map((t) => {
            const tick = h('span', { class: 'timeline-tick' }, formatShortTime(t));
            tick.style.setProperty('--at', String(this.minutes(t)));
            return tick;
        }));
    }

    setNow(now) {
        this.now = now;
        this.chart.style.setProperty('--now', String(this.minutes(now)));
    }

    drawRow(row) {
        const track = h('span', { class: 'timeline-track' });
        const spoken = [];
        for (const interval of row.intervals) {
            const open = interval.leave === null;
            const bar = h('span', {
                class: 'timeline-bar',
                'data-open': open ? 'true' : null,
                title: `${formatTime(interval.join)} – ${open ? 'now' : formatTime(interval.leave)}`,
            });
            bar.style.setProperty('--from', String(this.minutes(interval.join)));
            if (!open) bar.style.setProperty('--to', String(this.minutes(interval.leave)));
            track.append(bar);
            spoken.push(open ? `from ${formatTime(interval.join)}, still in the meeting`
                : `from ${formatTime(interval.join)} to ${formatTime(interval.leave)}`);
        }
        track.append(h('span', { class: 'timeline-now', 'aria-hidden': 'true' }));
        return h('li', { class: 'timeline-row', dataset: { key: row.key } },
            h('span', { class: 'timeline-name', title: row.name }, row.name || '(no name)'),
            track,
            h('span', { class: 'visually-hidden' },
                spoken.length ? `: ${spoken.join('; ')}` : ': did not attend'));
    }

    /// The present moves on: open bars and the now line follow through --now; the axis grows
    /// when a live meeting passes its end.
    tick(now) {
        if (!this.axis || !this.window?.live) return;
        if (now > this.axis.end) this.setAxis(this.axis.start, now);
        // every move restyles the chart: only move once the present has gone a pixel further
        const width = this.scale.clientWidth || 1;
        if (now - this.now >= (this.axis.end - this.axis.start) / width) this.setNow(now);
    }
}
