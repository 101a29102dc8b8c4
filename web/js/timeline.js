// The attendance timeline (a Gantt chart): one track per participant with a bar per
// join/leave interval, on the meeting's time axis. Bars are positioned in percent through
// the CSSOM (allowed by the page's CSP, unlike style attributes). Open intervals grow every
// second; the axis is rebuilt only when a live meeting outgrows it.

import { h, replace } from './dom.js';
import { formatShortTime, formatTime } from './format.js';

const MINUTE = 60000;
const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 240, 480].map((m) => m * MINUTE);
const MAX_TICKS = 8;

/// The axis for a meeting window: where it starts, ends (rounded up to a tick) and its ticks.
export function axisFor(start, end) {
    const range = Math.max(end - start, 5 * MINUTE);
    const step = STEPS.find((s) => range / s <= MAX_TICKS) ?? STEPS[STEPS.length - 1];
    const axisEnd = start + Math.ceil(range / step) * step;
    const ticks = [];
    for (let t = start; t <= axisEnd; t += step) ticks.push(t);
    return { start, end: axisEnd, ticks };
}

export class Timeline {
    constructor(container) {
        this.container = container;
        this.axis = null;
        this.openBars = [];
        this.nowLines = [];
        this.rows = [];
        this.window = null;
    }

    /// `rows` as the table shows them; `window` {start, end, live} in ms.
    draw(rows, window, now) {
        this.rows = rows;
        this.window = window;
        const withIntervals = rows.filter((r) => r.intervals.length > 0);
        const start = window.start ?? Math.min(...withIntervals.map((r) => r.intervals[0].join), now);
        const end = window.live ? now : window.end ?? now;
        this.axis = axisFor(start, Math.max(end, start));
        this.openBars = [];
        this.nowLines = [];
        if (rows.length === 0) {
            replace(this.container, h('p', { class: 'empty' }, 'No one has attended yet.'));
            return;
        }
        const scale = h('div', { class: 'timeline-scale' },
            this.axis.ticks.map((t) => this.place(h('span', { class: 'timeline-tick' }, formatShortTime(t)), t)));
        const list = h('ol', { class: 'timeline-rows' }, rows.map((row) => this.drawRow(row, now)));
        replace(this.container,
            h('div', { class: 'timeline-axis', 'aria-hidden': 'true' }, h('span', null, 'Participant'), scale),
            list,
            h('div', { class: 'legend', 'aria-hidden': 'true' },
                h('span', null, h('span', { class: 'legend-swatch' }), 'attended'),
                h('span', null, h('span', { class: 'legend-swatch', 'data-open': 'true' }), 'in the meeting now')));
    }

    drawRow(row, now) {
        const track = h('span', { class: 'timeline-track' });
        const spoken = [];
        for (const interval of row.intervals) {
            const open = interval.leave === null;
            const bar = h('span', {
                class: 'timeline-bar',
                'data-open': open ? 'true' : null,
                title: `${formatTime(interval.join)} – ${open ? 'now' : formatTime(interval.leave)}`,
            });
            this.span(bar, interval.join, open ? now : interval.leave);
            if (open) this.openBars.push({ bar, join: interval.join });
            track.append(bar);
            spoken.push(open ? `from ${formatTime(interval.join)}, still in the meeting`
                : `from ${formatTime(interval.join)} to ${formatTime(interval.leave)}`);
        }
        if (this.window.live) {
            const line = h('span', { class: 'timeline-now', 'aria-hidden': 'true' });
            this.place(line, now);
            this.nowLines.push(line);
            track.append(line);
        }
        return h('li', { class: 'timeline-row', dataset: { key: row.key } },
            h('span', { class: 'timeline-name', title: row.name }, row.name || '(no name)'),
            track,
            h('span', { class: 'visually-hidden' },
                spoken.length ? `: ${spoken.join('; ')}` : ': did not attend'));
    }

    /// Moves open bars and the now line; rebuilds when the live meeting passes the axis end.
    tick(now) {
        if (!this.axis || !this.window?.live) return;
        if (now > this.axis.end) {
            this.draw(this.rows, this.window, now);
            return;
        }
        for (const { bar, join } of this.openBars) this.span(bar, join, now);
        for (const line of this.nowLines) this.place(line, now);
    }

    percent(t) {
        const { start, end } = this.axis;
        return Math.min(100, Math.max(0, ((t - start) / (end - start)) * 100));
    }

    place(el, t) {
        el.style.left = `${this.percent(t)}%`;
        return el;
    }

    span(el, from, to) {
        const left = this.percent(from);
        el.style.left = `${left}%`;
        el.style.width = `${Math.max(0, this.percent(to) - left)}%`;
    }
}
