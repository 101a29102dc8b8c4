// The dashboard's participant model (web/js/participants.js): what the live table shows after
// each Socket.IO event, and that re-applying events over a fresher fetch changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { durationAt, ParticipantList } from '../../../web/js/participants.js';
import { parseStudentIds } from '../../../web/js/csv.js';

const T0 = Date.parse('2024-01-16T10:00:00.000Z');
const iso = (ms) => new Date(ms).toISOString();
const ada = { id: '7', username: 'ada', email: 'ada@example.com', role: 'user', studentId: null };
const student = { studentId: 4242, firstName: 'Ada', lastName: 'Lovelace', department: 'Mathematics', email: 'ada@school.edu', matchedBy: 'email' };

const joined = { sessionId: `7_m1_${T0}`, meetingId: 'm1', user: ada, student, joinTime: iso(T0), participantData: { participantName: 'Ada Lovelace' } };
const zoomJoined = {
  meetingId: 'm1',
  participant: { participantName: 'Ada (Zoom)', participantId: 'zoom-ada', zoomUserId: 'zoom-ada', email: 'ada@example.com',
    intervals: [{ joinTime: iso(T0 + 5000), leaveTime: null }], isActive: true, attendanceStatus: 'present', duration: 0 },
};
const linked = { meetingId: 'm1', sessionId: joined.sessionId, userId: '7', linkedBy: 'email',
  participant: { participantId: 'zoom-ada', participantName: 'Ada (Zoom)', email: 'ada@example.com', zoomUserId: 'zoom-ada' } };

test('a join adds a signed-in row with the user and the student, active and ticking', () => {
  const list = new ParticipantList();
  list.userJoined(joined, T0 + 100);
  const [row] = list.list();
  assert.equal(row.key, 'u:7');
  assert.equal(row.name, 'Ada Lovelace');
  assert.equal(row.username, 'ada');
  assert.equal(row.email, 'ada@example.com');
  assert.equal(row.role, 'user');
  assert.equal(row.student.lastName, 'Lovelace');
  assert.equal(row.isAuthenticated, true);
  assert.equal(row.isActive, true);
  assert.equal(row.sessionActive, true);
  assert.equal(durationAt(row, T0 + 100 + 90000), 1.5);
});

test('a Zoom participant then its link merge into one row; a leave ends only the session', () => {
  const list = new ParticipantList();
  list.userJoined(joined, T0);
  list.zoomChanged(zoomJoined, T0 + 5000);
  assert.deepEqual(list.list().map((r) => r.key).sort(), ['u:7', 'z:zoom-ada']);
  list.linked(linked, T0 + 5100);
  const rows = list.list();
  assert.equal(rows.length, 1);
  assert.equal(rows[0].key, 'u:7');
  assert.equal(rows[0].linkedBy, 'email');
  assert.equal(rows[0].source, 'zoom');
  assert.equal(rows[0].participantId, 'zoom-ada');
  assert.equal(rows[0].intervals[0].join, T0 + 5000, 'Zoom intervals now');
  assert.equal(rows[0].student.studentId, 4242, 'the student stays');
  list.userLeft({ sessionId: joined.sessionId, meetingId: 'm1', user: ada, leaveTime: iso(T0 + 60000), duration: 1, reason: 'left' }, T0 + 60000);
  assert.equal(rows[0].sessionActive, false);
  assert.equal(rows[0].isActive, true, 'still in Zoom');
  list.zoomChanged({ meetingId: 'm1', participant: { ...zoomJoined.participant, isActive: false,
    intervals: [{ joinTime: iso(T0 + 5000), leaveTime: iso(T0 + 65000) }], duration: 1 } }, T0 + 65000);
  assert.equal(list.list()[0].isActive, false);
  assert.equal(durationAt(list.list()[0], T0 + 999999), 1, 'an ended row stops counting');
});

test('a link that arrives before the Zoom participant is known still names it', () => {
  const list = new ParticipantList();
  list.userJoined(joined, T0);
  list.linked(linked, T0 + 10);
  list.zoomChanged(zoomJoined, T0 + 20);
  assert.equal(list.size, 1);
  assert.equal(list.list()[0].linkedBy, 'email');
  assert.equal(list.list()[0].isActive, true);
});

test('ending all sessions ends every session-only row at the given time', () => {
  const list = new ParticipantList();
  list.userJoined(joined, T0);
  list.sessionsEnded({ meetingId: 'm1', endedCount: 1, endedBy: { id: '1', username: 'teacher' }, at: iso(T0 + 30000) }, T0 + 30000);
  const [row] = list.list();
  assert.equal(row.isActive, false);
  assert.equal(row.sessionActive, false);
  assert.equal(row.intervals[0].leave, T0 + 30000);
});

test('events applied again over a fetched view that already has them change nothing', () => {
  const fetched = {
    participants: [{
      participantName: 'Ada (Zoom)', participantId: 'zoom-ada', zoomUserId: 'zoom-ada', email: 'ada@example.com', meetingId: 'm1',
      joinTime: iso(T0 + 5000), leaveTime: null, duration: 2, intervals: [{ joinTime: iso(T0 + 5000), leaveTime: null }],
      attendanceStatus: 'present', isActive: true, source: 'zoom', isAuthenticated: true, userId: '7',
      authenticatedUser: { username: 'ada', email: 'ada@example.com', role: 'user', joinedViaAuth: true, authTokenUsed: true },
      studentId: 4242, studentInfo: student, userSession: { sessionId: joined.sessionId, device: null, lastActivity: iso(T0), isActive: true },
      linkedBy: 'email',
    }],
  };
  const list = new ParticipantList();
  list.reset(fetched, [], T0 + 120000);
  const before = JSON.stringify(list.list());
  list.userJoined(joined, T0 + 120000);
  list.zoomChanged({ meetingId: 'm1', participant: { ...zoomJoined.participant, duration: 2 } }, T0 + 120000);
  list.linked(linked, T0 + 120000);
  const after = list.list();
  assert.equal(after.length, 1);
  assert.equal(JSON.stringify(after), before);
});

test('roster ids come from a studentId column or a plain list, with each bad line named', () => {
  assert.deepEqual(parseStudentIds('studentId,name\n12,"A, B"\n13,C\n12,dup\n'), { ids: [12, 13], errors: [] });
  assert.deepEqual(parseStudentIds('1, 2;3\n4 5\n'), { ids: [1, 2, 3, 4, 5], errors: [] });
  assert.deepEqual(parseStudentIds('1\nx7\n'), { ids: [1], errors: [{ line: 2, message: '"x7" is not a student id (a whole number)' }] });
});
