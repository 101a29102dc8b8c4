// Accounts: change a user's role and link (or unlink) the student record they are.

import { api, describeError } from '../api.js';
import { field, h, notice, replace, uid } from '../dom.js';

export async function render(ctx) {
    document.title = 'Users · headcount';
    let users = [];
    let studentsById = new Map();
    const datalistId = uid('students');
    const datalist = h('datalist', { id: datalistId });
    const search = h('input', { id: uid('user-search'), type: 'search', autocomplete: 'off', placeholder: 'Username or email' });
    const count = h('p', { class: 'muted', 'aria-live': 'polite' });
    const listBox = h('div', { class: 'table-wrap' }, h('p', { class: 'loading' }, 'Loading users…'));

    function studentLabel(id) {
        const s = studentsById.get(Number(id));
        return s ? `${s.firstName} ${s.lastName}, ${s.department}` : '';
    }

    function userRow(user) {
        const roleId = uid('role');
        const studentInputId = uid('student');
        const role = h('select', { id: roleId, 'aria-label': `Role of ${user.username}` },
            h('option', { value: 'user' }, 'user'), h('option', { value: 'admin' }, 'admin'));
        role.value = user.role;
        const student = h('input', {
            id: studentInputId, list: datalistId, inputmode: 'numeric', autocomplete: 'off', size: 10,
            'aria-label': `Student id linked to ${user.username}`, value: user.studentId ?? '',
        });
        const studentName = h('span', { class: 'muted' }, studentLabel(user.studentId));
        student.addEventListener('input', () => { studentName.textContent = studentLabel(student.value.trim()); });
        const status = h('span', { 'aria-live': 'polite' });
        const save = h('button', { class: 'button button-small', type: 'button' }, 'Save');
        save.addEventListener('click', async () => {
            const change = {};
            if (role.value !== user.role) change.role = role.value;
            const wanted = student.value.trim();
            if (wanted === '' && user.studentId !== null) change.studentId = null;
            else if (wanted !== '' && String(user.studentId ?? '') !== wanted) {
                if (!/^\d{1,15}$/.test(wanted)) {
                    replace(status, h('span', { class: 'field-error' }, 'A student id is a whole number'));
                    student.focus();
                    return;
                }
                change.studentId = Number(wanted);
            }
            if (Object.keys(change).length === 0) {
                replace(status, h('span', { class: 'muted' }, 'Nothing changed'));
                return;
            }
            if (String(user.id) === String(ctx.user.id) && change.role === 'user' &&
                !window.confirm('You are removing your own admin role. You will lose access to this dashboard. Continue?')) {
                role.value = user.role;
                return;
            }
            save.disabled = true;
            try {
                const answer = await api('PATCH', `/api/users/${encodeURIComponent(user.id)}`, { json: change });
                Object.assign(user, answer.user);
                role.value = user.role;
                student.value = user.studentId ?? '';
                studentName.textContent = studentLabel(user.studentId);
                replace(status, h('span', { class: 'badge badge-ok' }, 'Saved'));
            } catch (error) {
                replace(status, h('span', { class: 'field-error' }, describeError(error)));
            } finally {
                save.disabled = false;
            }
        });
        return h('tr', { dataset: { userId: user.id, username: user.username } },
            h('td', { 'data-label': 'Username' }, h('strong', null, user.username)),
            h('td', { 'data-label': 'Email' }, user.email),
            h('td', { 'data-label': 'Role' }, role),
            h('td', { 'data-label': 'Student' }, h('div', { class: 'field' }, student, studentName)),
            h('td', { 'data-label': 'Save' }, h('div', { class: 'actions' }, save, status)));
    }

    function drawList() {
        const words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
        const shown = users.filter((u) => words.every((w) => `${u.username} ${u.email}`.toLowerCase().includes(w)));
        count.textContent = shown.length === users.length ? `${users.length} users` : `Showing ${shown.length} of ${users.length} users`;
        replace(listBox, shown.length === 0 ? h('p', { class: 'empty' }, 'No user matches.')
            : h('table', { class: 'cards' },
                h('caption', { class: 'visually-hidden' }, 'Users; change a role or linked student and press Save on that row'),
                h('thead', null, h('tr', null, ['Username', 'Email', 'Role', 'Linked student', ''].map((t) => h('th', { scope: 'col' }, t)))),
                h('tbody', null, shown.map(userRow))));
    }
    search.addEventListener('input', drawList);

    replace(ctx.main,
        h('div', { class: 'page-header' }, h('div', null, h('h1', null, 'Users'),
            h('p', { class: 'subtitle' }, 'Roles and the student record each account stands for.'))),
        h('section', { class: 'panel', 'aria-labelledby': 'users-title' },
            h('h2', { id: 'users-title' }, 'All users'),
            h('div', { class: 'toolbar', role: 'search' }, field('Search', search)),
            count, listBox, datalist));

    const [userList, studentList] = await Promise.allSettled([
        api('GET', '/api/users', { signal: ctx.signal }),
        api('GET', '/api/students', { signal: ctx.signal }),
    ]);
    if (ctx.signal.aborted) return;
    if (studentList.status === 'fulfilled') {
        studentsById = new Map(studentList.value.students.map((s) => [s.studentId, s]));
        replace(datalist, studentList.value.students.map((s) => h('option', { value: s.studentId }, `${s.firstName} ${s.lastName}`)));
    }
    if (userList.status === 'rejected') {
        replace(listBox, notice('error', `Users unavailable: ${describeError(userList.reason)}`));
        return;
    }
    users = userList.value.users.sort((a, b) => a.username.localeCompare(b.username));
    drawList();
}
