// Building DOM nodes without innerHTML: every text goes through text nodes, so names and
// emails from the server can never become markup.

/// h('a', {href: '/x', class: 'y', onclick: fn}, 'text', child, [more]) → an element.
/// `null`, `undefined` and `false` props and children are skipped; `true` sets an empty attribute.
export function h(tag, props, ...children) {
    const el = document.createElement(tag);
    let value;
    for (const [name, v] of Object.entries(props ?? {})) {
        if (v === undefined || v === null || v === false) continue;
        if (name === 'class') el.className = v;
        else if (name === 'dataset') Object.assign(el.dataset, v);
        else if (name === 'value') value = v;
        else if (name.startsWith('on') && typeof v === 'function') el.addEventListener(name.slice(2), v);
        else el.setAttribute(name, v === true ? '' : String(v));
    }
    append(el, children);
    // after the children, so a <select> finds its <option>
    if (value !== undefined) el.value = value;
    return el;
}

export function append(parent, children) {
    for (const child of children.flat(Infinity)) {
        if (child === null || child === undefined || child === false) continue;
        parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return parent;
}

/// Replaces every child of `el`.
export function replace(el, ...children) {
    el.replaceChildren();
    return append(el, children);
}

/// Says `text` to screen readers through the page's polite live region.
export function announce(text) {
    const region = document.getElementById('announcer');
    if (!region) return;
    // clearing first makes a repeated message be read again
    region.textContent = '';
    setTimeout(() => { region.textContent = text; }, 30);
}

/// A <dl class="stats"> of [label, value, id?] entries.
export function statList(label, entries) {
    return h('dl', { class: 'stats', 'aria-label': label },
        entries.map(([name, val, key]) => h('div', { class: 'stat', dataset: key ? { stat: key } : undefined },
            h('dt', null, name), h('dd', null, val))));
}

/// A notice box; kind is '', 'error', 'ok' or 'warn'.
export function notice(kind, ...children) {
    return h('div', { class: `notice${kind ? ` notice-${kind}` : ''}`, role: kind === 'error' ? 'alert' : null }, ...children);
}

/// A labelled form field. `input` is the control; its id ties the label to it.
export function field(labelText, input, hint) {
    const hintEl = hint ? h('span', { class: 'field-hint', id: `${input.id}-hint` }, hint) : null;
    if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
    return h('div', { class: 'field' }, h('label', { for: input.id }, labelText), input, hintEl);
}

/// Puts a validation message under the field of `input` (or removes it with an empty text).
export function setFieldError(input, text) {
    const id = `${input.id}-error`;
    document.getElementById(id)?.remove();
    if (!text) {
        input.removeAttribute('aria-invalid');
        return;
    }
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-errormessage', id);
    input.closest('.field')?.append(h('span', { class: 'field-error', id }, text));
}

let uniqueCounter = 0;
/// An id unique in the page, for label/control pairs.
export function uid(prefix) {
    uniqueCounter += 1;
    return `${prefix}-${uniqueCounter}`;
}
