// Student records: the list, adding or updating one, and CSV import that reports every
// rejected line with the reason.

import { api, describeError } from '../api.js';
import { field, h, notice, replace, setFieldError, uid } from '../dom.js';

const CSV_HEADER = 'studentId,firstName,lastName,department,email';

function studentRow(s) {
    return h('tr', { dataset: { studentId: s.studentId } },
        h('td', { 'data-label': 'Student id', class: 'num' }, s.studentId),
        h('td', { 'data-label': 'Name' }, `${s.firstName} ${s.lastName}`),
        h('td', { 'data-label': 'Department' }, s.department),
        h('td', { 'data-label': 'Email' }, s.email));
}

export async function render(ctx) {
    document.title = 'Students · headcount';
    let students = [];

    const search = h('input', { id: uid('student-search'), type: 'search', autocomplete: 'off', placeholder: 'Name, id, email…' });
    const count = h('p', { class: 'muted', 'aria-live': 'polite' });
    const listBox = h('div', { class: 'table-wrap' }, h('p', { class: 'loading' }, 'Loading students…'));

    // CSV import
    const csvText = h('textarea', { id: uid('csv'), rows: 6, placeholder: `${CSV_HEADER}\n12345,John,Doe,Computer Science,john.doe@student.edu` });
    const csvFile = h('input', { id: uid('csv-file'), type: 'file', accept: '.csv,text/csv' });
    const importResult = h('div', { 'aria-live': 'polite', id: 'import-result' });
    const importButton = h('button', { class: 'button', type: 'submit' }, 'Import');
    csvFile.addEventListener('change', async () => {
        const file = csvFile.files?.[0];
        if (file) csvText.value = await file.text();
    });
    const importForm = h('form', { class: 'form', novalidate: true },
        field('CSV text', csvText, `The first line must be the header ${CSV_HEADER}`),
        field('…or choose a file', csvFile),
        h('div', null, importButton),
        importResult);
    importForm.addEventListener('submit', async (event) => {
        event.preventDefault();
        if (!csvText.value.trim()) {
            replace(importResult, notice('error', 'Paste CSV text or choose a file first.'));
            return;
        }
        importButton.disabled = true;
        replace(importResult, h('p', { class: 'loading' }, 'Importing…'));
        try {
            const answer = await api('POST', '/api/students/import', { body: csvText.value, contentType: 'text/csv; charset=utf-8' });
            const errors = answer.errors ?? [];
            replace(importResult,
                notice(errors.length ? 'warn' : 'ok',
                    `${answer.imported} imported, ${answer.updated} updated, ${errors.length} rejected.`),
                errors.length ? h('table', { class: 'import-errors' },
                    h('caption', null, 'Rejected lines'),
                    h('thead', null, h('tr', null, h('th', { scope: 'col', class: 'num' }, 'Line'), h('th', { scope: 'col' }, 'Why'))),
                    h('tbody', null, errors.map((e) => h('tr', null,
                        h('td', { class: 'num' }, e.line), h('td', null, e.message))))) : null);
            await load();
        } catch (error) {
            replace(importResult, notice('error', `Import failed: ${describeError(error)}`));
        } finally {
            importButton.disabled = false;
        }
    });

    // One student
    const inputs = {
        studentId: h('input', { id: uid('sid'), name: 'studentId', inputmode: 'numeric', required: true }),
        firstName: h('input', { id: uid('first'), name: 'firstName', required: true, autocomplete: 'off' }),
        lastName: h('input', { id: uid('last'), name: 'lastName', required: true, autocomplete: 'off' }),
        department: h('input', { id: uid('dept'), name: 'department', required: true, autocomplete: 'off' }),
        email: h('input', { id: uid('semail'), name: 'email', type: 'email', required: true, autocomplete: 'off' }),
    };
    const saveResult = h('div', { 'aria-live': 'polite' });
    const saveButton = h('button', { class: 'button', type: 'submit' }, 'Save student');
    const studentForm = h('form', { class: 'form', novalidate: true },
        field('Student id', inputs.studentId, 'A whole number; an existing id is updated'),
        field('First name', inputs.firstName),
        field('Last name', inputs.lastName),
        field('Department', inputs.department),
        field('Email', inputs.email),
        h('div', null, saveButton),
        saveResult);
    studentForm.addEventListener('submit', async (event) => {
        event.preventDefault();
        for (const input of Object.values(inputs)) setFieldError(input, '');
        const body = Object.fromEntries(Object.entries(inputs).map(([k, input]) => [k, input.value.trim()]));
        if (!/^\d{1,15}$/.test(body.studentId)) {
            setFieldError(inputs.studentId, 'Enter a whole number');
            inputs.studentId.focus();
            return;
        }
        body.studentId = Number(body.studentId);
        saveButton.disabled = true;
        try {
            const answer = await api('POST', '/api/students', { json: body });
            replace(saveResult, notice('ok', `Saved ${answer.student.firstName} ${answer.student.lastName} (${answer.student.studentId}).`));
            studentForm.reset();
            await load();
        } catch (error) {
            for (const [name, why] of Object.entries(error.fields ?? {})) {
                if (inputs[name]) setFieldError(inputs[name], why);
            }
            replace(saveResult, notice('error', describeError(error)));
        } finally {
            saveButton.disabled = false;
        }
    });

    function drawList() {
        const words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
        const shown = students.filter((s) => {
            const text = `${s.studentId} ${s.firstName} ${s.lastName} ${s.department} ${s.email}`.toLowerCase();
            return words.every((w) => text.includes(w));
        });
        count.textContent = shown.length === students.length ? `${students.length} students`
            : `Showing ${shown.length} of ${students.length} students`;
        replace(listBox, shown.length === 0 ? h('p', { class: 'empty' }, students.length ? 'No student matches.' : 'No students yet.')
            : h('table', { class: 'cards' },
                h('caption', { class: 'visually-hidden' }, 'Students'),
                h('thead', null, h('tr', null, h('th', { scope: 'col', class: 'num' }, 'Student id'),
                    ['Name', 'Department', 'Email'].map((t) => h('th', { scope: 'col' }, t)))),
                h('tbody', null, shown.map(studentRow))));
    }
    search.addEventListener('input', drawList);

    async function load() {
        try {
            students = (await api('GET', '/api/students', { signal: ctx.signal })).students;
            students.sort((a, b) => a.studentId - b.studentId);
            drawList();
        } catch (error) {
            if (!ctx.signal.aborted) replace(listBox, notice('error', `Students unavailable: ${describeError(error)}`));
        }
    }

    replace(ctx.main,
        h('div', { class: 'page-header' }, h('div', null, h('h1', null, 'Students'),
            h('p', { class: 'subtitle' }, 'Records that signed-in users and Zoom participants are matched to.'))),
        h('div', { class: 'columns' },
            h('section', { class: 'panel', 'aria-labelledby': 'import-title' },
                h('h2', { id: 'import-title' }, 'Import from CSV'), importForm),
            h('section', { class: 'panel', 'aria-labelledby': 'add-title' },
                h('h2', { id: 'add-title' }, 'Add or update a student'), studentForm)),
        h('section', { class: 'panel', 'aria-labelledby': 'students-title' },
            h('h2', { id: 'students-title' }, 'All students'),
            h('div', { class: 'toolbar', role: 'search' }, field('Search', search)),
            count, listBox));
    await load();
}
