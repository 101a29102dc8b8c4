// The course view's data as the page shows it: people of GET /api/meetings/:id/series in the
// order the teacher asked for. Pure, so it is tested in Node (tests/unit/web).

/// How the people can be ordered: by attendance (occurrences attended, then share of the
/// scheduled time), by share of time, or by name. Ties fall back to the name, then the id, so
/// the order never depends on the server's.
const COMPARE = {
    attended: (a, b) => a.attended - b.attended || a.attendancePercent - b.attendancePercent,
    percent: (a, b) => a.attendancePercent - b.attendancePercent || a.attended - b.attended,
    name: () => 0,
};

function byName(a, b) {
    return (a.name ?? '').localeCompare(b.name ?? '', undefined, { sensitivity: 'base' }) ||
        a.personId.localeCompare(b.personId);
}

/// A sorted copy of `people`; `direction` is 'ascending' or 'descending' (names always read A–Z
/// among equals).
export function sortPeople(people, key = 'name', direction = 'ascending') {
    const compare = COMPARE[key] ?? COMPARE.name;
    const sign = direction === 'descending' ? -1 : 1;
    return [...people].sort((a, b) => sign * compare(a, b) || (key === 'name' ? sign : 1) * byName(a, b));
}

/// "58 min" for a cell, "—" when the person was not there.
export function cellText(cell) {
    if (cell.status === 'absent') return '—';
    return `${Math.round(cell.minutes)} min`;
}

/// `?from=&to=` for the dates picked (either may be empty).
export function rangeQuery(from, to) {
    const params = new URLSearchParams();
    if (from) params.set('from', from);
    if (to) params.set('to', to);
    const text = params.toString();
    return text ? `?${text}` : '';
}
