// CONTRACT section 3 "Students": create/update, list, get, CSV import (RFC 4180), and the
// student matching rules as join-meeting reports them (`student` with `matchedBy`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from '../support/server.mjs';

const server = new Server();
let admin;
let user;
let seq = 0;
const next = () => ++seq;

before(async () => {
  await server.start();
  admin = await server.createUser({ username: 'studadmin', role: 'admin' });
  user = await server.createUser({ username: 'plainuser' });
});
after(() => server.cleanup());

const save = (json, token = admin.token) => server.api('POST', '/api/students', { token, json });
const getOne = (id) => server.api('GET', `/api/students/${id}`, { token: admin.token });
const importCsv = (body, { token = admin.token, type = 'text/csv' } = {}) =>
  server.api('POST', '/api/students/import', { token, body, headers: { 'content-type': type } });
const join = (u, meetingId, participantData) =>
  server.api('POST', '/api/user-sessions/join-meeting', { token: u.token, json: { meetingId, participantData } });

test('create answers 201, the same id again updates with 200', async () => {
  const created = await save({ studentId: 1001, firstName: ' Ada ', lastName: 'Lovelace', department: 'Maths', email: 'ada@uni.edu' });
  assert.equal(created.status, 201, created.text);
  assert.deepEqual(created.body, { success: true,
    student: { studentId: 1001, firstName: 'Ada', lastName: 'Lovelace', department: 'Maths', email: 'ada@uni.edu' } });
  const updated = await save({ studentId: 1001, firstName: 'Ada', lastName: 'King', department: 'Computing', email: 'ada.king@uni.edu' });
  assert.equal(updated.status, 200, updated.text);
  assert.equal(updated.body.student.lastName, 'King');
  const got = await getOne(1001);
  assert.equal(got.status, 200);
  assert.deepEqual(got.body, { success: true,
    student: { studentId: 1001, firstName: 'Ada', lastName: 'King', department: 'Computing', email: 'ada.king@uni.edu' } });
  const noDepartment = await save({ studentId: 1002, firstName: 'No', lastName: 'Dept', email: 'nodept@uni.edu' });
  assert.equal(noDepartment.status, 201, noDepartment.text);
  assert.equal(noDepartment.body.student.department, '');
});

test('create validates every field', async () => {
  const cases = [
    [{ firstName: 'A', lastName: 'B', email: 'a@b.edu' }, 'studentId'],
    [{ studentId: '12', firstName: 'A', lastName: 'B', email: 'a@b.edu' }, 'studentId'],
    [{ studentId: -1, firstName: 'A', lastName: 'B', email: 'a@b.edu' }, 'studentId'],
    [{ studentId: 1.5, firstName: 'A', lastName: 'B', email: 'a@b.edu' }, 'studentId'],
    [{ studentId: 3, firstName: '  ', lastName: 'B', email: 'a@b.edu' }, 'firstName'],
    [{ studentId: 3, firstName: 'A', email: 'a@b.edu' }, 'lastName'],
    [{ studentId: 3, firstName: 'A', lastName: 'B', email: 'not-an-email' }, 'email'],
    [{ studentId: 3, firstName: 'A', lastName: 'B', department: 7, email: 'a@b.edu' }, 'department'],
  ];
  for (const [body, field] of cases) {
    const r = await save(body);
    assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
    assert.equal(r.body.success, false);
    assert.equal(r.body.code, 'validation_failed');
    assert.ok(r.body.fields[field], `${field} named in ${r.text}`);
  }
  assert.equal((await getOne(3)).status, 404, 'nothing stored');
  const notObject = await save([1, 2]);
  assert.equal(notObject.status, 400);
});

test('students are for admins only', async () => {
  const body = { studentId: 1999, firstName: 'A', lastName: 'B', email: 'a@b.edu' };
  for (const r of [
    await save(body, user.token),
    await server.api('GET', '/api/students', { token: user.token }),
    await server.api('GET', '/api/students/1001', { token: user.token }),
    await importCsv('studentId,firstName,lastName,department,email\n', { token: user.token }),
  ]) {
    assert.equal(r.status, 403, r.text);
    assert.equal(r.body.code, 'forbidden');
  }
  const anonymous = await server.api('GET', '/api/students');
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.body.code, 'missing_token');
});

test('list and get', async () => {
  await save({ studentId: 1200, firstName: 'Zed', lastName: 'Last', department: 'X', email: 'zed@uni.edu' });
  await save({ studentId: 1100, firstName: 'Mid', lastName: 'Dle', department: 'Y', email: 'mid@uni.edu' });
  const all = await server.api('GET', '/api/students', { token: admin.token });
  assert.equal(all.status, 200);
  assert.equal(all.body.success, true);
  const ids = all.body.students.map((s) => s.studentId);
  assert.ok(ids.includes(1100) && ids.includes(1200), ids.join());
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'ordered by studentId');
  assert.deepEqual(all.body.students.find((s) => s.studentId === 1100),
    { studentId: 1100, firstName: 'Mid', lastName: 'Dle', department: 'Y', email: 'mid@uni.edu' });
  const missing = await getOne(987654);
  assert.equal(missing.status, 404);
  assert.equal(missing.body.code, 'not_found');
  for (const bad of ['abc', '-4', '1.5']) {
    const r = await getOne(bad);
    assert.equal(r.status, 400, `${bad}: ${r.text}`);
    assert.equal(r.body.code, 'validation_failed');
  }
});

test('CSV import: BOM, CRLF, quoted fields with commas, quotes and newlines; bad rows reported by line', async () => {
  const csv = '\uFEFFstudentId,firstName,lastName,department,email\r\n' +
    '2001,Plain,Row,Physics,plain@uni.edu\r\n' +                         // line 2
    '2002,"Comma, Inc","O""Brien","Dept\r\nof Lines",quoted@uni.edu\r\n' + // lines 3-4
    '2003,Missing,Email,Physics,\r\n' +                                   // line 5: no email
    'abc,Bad,Id,Physics,badid@uni.edu\r\n' +                              // line 6: id
    '2004,Too,Few\r\n' +                                                  // line 7: field count
    '2005,"Stray"x,Quote,Physics,stray@uni.edu\r\n' +                     // line 8: malformed quoting
    '\r\n' +                                                              // line 9: blank, skipped
    '2006,Last,Good,,last@uni.edu\r\n' +                                  // line 10
    '2001,Plain,Updated,Physics,plain@uni.edu';                           // line 11: update, no final CRLF
  const r = await importCsv(csv);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.success, true);
  assert.equal(r.body.imported, 3);
  assert.equal(r.body.updated, 1);
  assert.deepEqual(r.body.errors.map((e) => e.line), [5, 6, 7, 8]);
  for (const e of r.body.errors) assert.ok(typeof e.message === 'string' && e.message.length > 0, JSON.stringify(e));
  assert.match(r.body.errors[0].message, /email/);
  assert.match(r.body.errors[1].message, /studentId/);

  assert.deepEqual((await getOne(2002)).body.student,
    { studentId: 2002, firstName: 'Comma, Inc', lastName: 'O"Brien', department: 'Dept\r\nof Lines', email: 'quoted@uni.edu' });
  assert.equal((await getOne(2001)).body.student.lastName, 'Updated');
  assert.equal((await getOne(2006)).body.student.department, '');
  for (const id of [2003, 2004, 2005]) assert.equal((await getOne(id)).status, 404, `row ${id} did not land`);
});

test('CSV import: LF line ends, columns in any order, header case ignored, department optional', async () => {
  const r = await importCsv('EMAIL,LastName,studentid,FirstName\nlf1@uni.edu,One,2101,Lf\n"lf2@uni.edu",Two,2102,"Lf"\n');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body, { success: true, imported: 2, updated: 0, errors: [] });
  assert.deepEqual((await getOne(2102)).body.student,
    { studentId: 2102, firstName: 'Lf', lastName: 'Two', department: '', email: 'lf2@uni.edu' });
});

test('CSV import: an unclosed quote is reported at the line it starts on, earlier rows land', async () => {
  const r = await importCsv('studentId,firstName,lastName,department,email\n2201,Good,One,X,g1@uni.edu\n2202,"Never,closed,X,g2@uni.edu\n2203,Lost,Row,X,g3@uni.edu\n');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.imported, 1);
  assert.deepEqual(r.body.errors.map((e) => e.line), [3]);
  assert.equal((await getOne(2201)).status, 200);
});

test('CSV import: a header without a required column imports nothing; wrong content type is 415', async () => {
  const r = await importCsv('studentId,firstName,department,email\n2301,No,X,nolast@uni.edu\n');
  assert.equal(r.status, 400, r.text);
  assert.equal(r.body.code, 'validation_failed');
  assert.equal((await getOne(2301)).status, 404);
  const empty = await importCsv('');
  assert.equal(empty.status, 400);
  assert.equal(empty.body.code, 'validation_failed');
  const json = await importCsv('{"a":1}', { type: 'application/json' });
  assert.equal(json.status, 415, json.text);
  assert.equal(json.body.code, 'unsupported_media_type');
  const charset = await importCsv('studentId,firstName,lastName,department,email\n2302,Char,Set,X,cs@uni.edu\n',
    { type: 'text/csv; charset=utf-8' });
  assert.equal(charset.status, 200, charset.text);
  assert.equal(charset.body.imported, 1);
});

/// A user whose email and join name are set up for one rule.
async function person(tag, email) {
  return server.createUser({ username: `m${tag}`, email });
}

async function student(studentId, firstName, lastName, email) {
  const r = await save({ studentId, firstName, lastName, department: 'Match', email });
  assert.ok(r.status === 201 || r.status === 200, r.text);
}

const matchOf = async (u, participantName) => {
  const r = await join(u, `match-${next()}`, participantName ? { participantName } : undefined);
  assert.equal(r.status, 201, r.text);
  return r.body.userData.student;
};

test('matching: explicit link, then email, then email local part, then name', async () => {
  const n = next();
  // explicit: the admin's link wins although the email names another student
  await student(3001, 'Linked', 'Target', `linked${n}@uni.edu`);
  await student(3002, 'Email', 'Owner', `explicit${n}@example.com`);
  const ex = await person(`ex${n}`, `explicit${n}@example.com`);
  const patched = await server.api('PATCH', `/api/users/${ex.id}`, { token: admin.token, json: { studentId: 3001 } });
  assert.equal(patched.status, 200, patched.text);
  assert.equal(patched.body.user.studentId, 3001);
  assert.deepEqual(await matchOf(ex, 'Email Owner'),
    { studentId: 3001, firstName: 'Linked', lastName: 'Target', department: 'Match', email: `linked${n}@uni.edu`, matchedBy: 'explicit' });

  // email, case-insensitively
  await student(3003, 'Mail', 'Match', `Mail.Match${n}@Example.com`);
  const em = await person(`em${n}`, `mail.match${n}@example.com`);
  const byEmail = await matchOf(em);
  assert.equal(byEmail.studentId, 3003);
  assert.equal(byEmail.matchedBy, 'email');

  // email local part: john.doe@example.com <-> john.doe@student.edu
  await student(3004, 'John', 'Doe', `john.doe${n}@student.edu`);
  const lp = await person(`lp${n}`, `John.Doe${n}@example.com`);
  const byLocal = await matchOf(lp);
  assert.equal(byLocal.studentId, 3004);
  assert.equal(byLocal.matchedBy, 'email-local-part');

  // name given at join, normalised for case, accents and spacing
  await student(3005, 'José', `Núñez${n}`, `jn${n}@student.edu`);
  const nm = await person(`nm${n}`, `someone${n}@example.com`);
  const byName = await matchOf(nm, `  jose   NUNEZ${n} `);
  assert.equal(byName.studentId, 3005);
  assert.equal(byName.matchedBy, 'name');

  // unlinking turns the explicit rule off again
  const unlinked = await server.api('PATCH', `/api/users/${ex.id}`, { token: admin.token, json: { studentId: null } });
  assert.equal(unlinked.body.user.studentId, null);
  assert.equal((await matchOf(ex)).matchedBy, 'email');
  const badLink = await server.api('PATCH', `/api/users/${ex.id}`, { token: admin.token, json: { studentId: 999999 } });
  assert.equal(badLink.status, 400, badLink.text);
  assert.equal(badLink.body.code, 'validation_failed');

  // nothing matches: student null
  const none = await person(`none${n}`, `nobody${n}@example.com`);
  assert.equal(await matchOf(none, 'Nobody Known'), null);
});

test('matching: two candidates under a rule is no match by that rule', async () => {
  const n = next();
  // two students with the email (ASCII case aside): the email and local-part rules both see two
  await student(3101, 'Twin', 'One', `twin${n}@example.com`);
  await student(3102, 'Twin', 'Two', `TWIN${n}@example.com`);
  const twin = await person(`tw${n}`, `twin${n}@example.com`);
  assert.equal(await matchOf(twin), null);
  // ... and the name rule still decides when it finds one
  const named = await matchOf(twin, 'twin two');
  assert.equal(named.studentId, 3102);
  assert.equal(named.matchedBy, 'name');

  // two students with the local part at different domains
  await student(3103, 'Local', 'A', `shared.local${n}@a.edu`);
  await student(3104, 'Local', 'B', `shared.local${n}@b.edu`);
  const local = await person(`sl${n}`, `shared.local${n}@example.com`);
  assert.equal(await matchOf(local), null);

  // two students whose names normalise alike
  await student(3105, 'Ána', `Lima${n}`, `ana1.${n}@student.edu`);
  await student(3106, 'ANA', `lima${n}`, `ana2.${n}@student.edu`);
  const ana = await person(`an${n}`, `ana${n}@example.com`);
  assert.equal(await matchOf(ana, `Ana Lima${n}`), null);
});
