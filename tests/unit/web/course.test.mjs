// The course view's ordering and cell text (web/js/course.js), without a browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellText, rangeQuery, sortPeople } from '../../../web/js/course.js';

const people = [
  { personId: 'student:2', name: 'bob Baker', attended: 1, attendancePercent: 46.7 },
  { personId: 'student:1', name: 'Alice Archer', attended: 1, attendancePercent: 48.3 },
  { personId: 'zoom:c', name: 'Cleo', attended: 2, attendancePercent: 90 },
  { personId: 'user:4', name: 'Alice Archer', attended: 0, attendancePercent: 0 },
];
const ids = (list) => list.map((p) => p.personId);

test('by name: case-insensitive A–Z, then by id; descending reverses', () => {
  assert.deepEqual(ids(sortPeople(people)), ['student:1', 'user:4', 'student:2', 'zoom:c']);
  assert.deepEqual(ids(sortPeople(people, 'name', 'descending')), ['zoom:c', 'student:2', 'user:4', 'student:1']);
});

test('by attendance: occurrences attended, then share of time, then name', () => {
  assert.deepEqual(ids(sortPeople(people, 'attended', 'descending')), ['zoom:c', 'student:1', 'student:2', 'user:4']);
  assert.deepEqual(ids(sortPeople(people, 'attended', 'ascending')), ['user:4', 'student:2', 'student:1', 'zoom:c']);
  assert.deepEqual(ids(sortPeople(people, 'percent', 'descending')), ['zoom:c', 'student:1', 'student:2', 'user:4']);
});

test('sorting leaves the input as it was', () => {
  const before = ids(people);
  sortPeople(people, 'attended', 'descending');
  assert.deepEqual(ids(people), before);
});

test('cells read as minutes, or a dash when absent; the range becomes a query', () => {
  assert.equal(cellText({ status: 'present', minutes: 58.4 }), '58 min');
  assert.equal(cellText({ status: 'partial', minutes: 0 }), '0 min');
  assert.equal(cellText({ status: 'absent', minutes: 0 }), '—');
  assert.equal(rangeQuery('', ''), '');
  assert.equal(rangeQuery('2026-12-01', ''), '?from=2026-12-01');
  assert.equal(rangeQuery('2026-11-01', '2026-11-30'), '?from=2026-11-01&to=2026-11-30');
});
