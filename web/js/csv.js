// RFC 4180 CSV reading, for files the browser reads before sending (the roster's student ids).

/// Rows of cells; quoted cells may hold commas, quotes ("") and line breaks.
export function parseCsv(text) {
    const rows = [];
    let row = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < text.length; i += 1) {
        const c = text[i];
        if (quoted) {
            if (c === '"' && text[i + 1] === '"') {
                cell += '"';
                i += 1;
            } else if (c === '"') {
                quoted = false;
            } else {
                cell += c;
            }
        } else if (c === '"') {
            quoted = true;
        } else if (c === ',') {
            row.push(cell);
            cell = '';
        } else if (c === '\n' || c === '\r') {
            if (c === '\r' && text[i + 1] === '\n') i += 1;
            row.push(cell);
            rows.push(row);
            row = [];
            cell = '';
        } else {
            cell += c;
        }
    }
    if (cell !== '' || row.length > 0) {
        row.push(cell);
        rows.push(row);
    }
    return rows;
}

/// Student ids from a roster file: a CSV with a `studentId` column, or ids separated by
/// commas, semicolons, spaces or line breaks. → {ids, errors: [{line, message}]}
export function parseStudentIds(text) {
    const ids = [];
    const errors = [];
    const seen = new Set();
    const add = (raw, line) => {
        const value = raw.trim();
        if (value === '') return;
        if (!/^\d{1,15}$/.test(value)) {
            errors.push({ line, message: `"${value}" is not a student id (a whole number)` });
            return;
        }
        const id = Number(value);
        if (!seen.has(id)) {
            seen.add(id);
            ids.push(id);
        }
    };
    const rows = parseCsv(text.replace(/^\uFEFF/, ''));
    const header = rows[0]?.map((cell) => cell.trim().toLowerCase()) ?? [];
    const column = header.indexOf('studentid');
    if (column >= 0) {
        rows.slice(1).forEach((cells, index) => add(cells[column] ?? '', index + 2));
    } else {
        text.split(/\r\n|\r|\n/).forEach((line, index) => {
            for (const token of line.split(/[,;\s]+/)) add(token, index + 1);
        });
    }
    return { ids, errors };
}
