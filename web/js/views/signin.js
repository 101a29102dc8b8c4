// Sign-in (username or email + password) and, for people without an account, registration.

import { ApiError, describeError } from '../api.js';
import { register, signIn } from '../auth.js';
import { field, h, notice, replace, setFieldError, uid } from '../dom.js';

/// Why the form was refused; a rate limit says how long to wait (its Retry-After).
function refusal(error) {
    if (error instanceof ApiError && error.status === 429 && error.retryAfterSeconds) {
        return `Too many attempts, try again in ${error.retryAfterSeconds} s`;
    }
    return describeError(error);
}

/// Shows the form in `main`; calls `done(user)` once signed in. `reason` explains why the
/// page asks (e.g. an expired token); `purpose` what the sign-in is for.
export function renderSignIn(main, { done, reason, purpose, allowRegister = true }) {
    let mode = 'signin';
    const container = h('section', { class: 'signin panel', 'aria-labelledby': 'signin-title' });
    const draw = () => replace(container, mode === 'signin' ? signInForm() : registerForm());

    function status() {
        return h('div', { class: 'form-status', 'aria-live': 'assertive' });
    }

    function signInForm() {
        const login = h('input', { id: uid('login'), name: 'login', autocomplete: 'username', required: true });
        const password = h('input', {
            id: uid('password'), name: 'password', type: 'password', autocomplete: 'current-password', required: true,
        });
        const message = status();
        const submit = h('button', { class: 'button', type: 'submit' }, 'Sign in');
        const form = h('form', { class: 'form', novalidate: true },
            field('Username or email', login),
            field('Password', password),
            message,
            h('div', { class: 'actions' }, submit,
                allowRegister ? h('button', { class: 'button button-quiet', type: 'button', onclick: () => { mode = 'register'; draw(); } }, 'Create an account') : null));
        form.addEventListener('submit', async (event) => {
            event.preventDefault();
            setFieldError(login, login.value.trim() ? '' : 'Enter your username or email');
            setFieldError(password, password.value ? '' : 'Enter your password');
            if (!login.value.trim() || !password.value) return;
            submit.disabled = true;
            replace(message);
            try {
                done(await signIn(login.value.trim(), password.value));
            } catch (error) {
                replace(message, notice('error', refusal(error)));
                submit.disabled = false;
                password.focus();
            }
        });
        queueMicrotask(() => login.focus());
        return [
            h('h1', { id: 'signin-title', tabindex: '-1' }, 'Sign in'),
            purpose ? h('p', { class: 'subtitle' }, purpose) : null,
            reason ? notice('warn', reason) : null,
            form,
        ];
    }

    function registerForm() {
        const username = h('input', {
            id: uid('username'), name: 'username', autocomplete: 'username', required: true, minlength: 3, maxlength: 32,
            pattern: '[A-Za-z0-9._\\-]{3,32}',
        });
        const email = h('input', { id: uid('email'), name: 'email', type: 'email', autocomplete: 'email', required: true });
        const password = h('input', {
            id: uid('new-password'), name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: 8,
        });
        const message = status();
        const submit = h('button', { class: 'button', type: 'submit' }, 'Create account');
        const form = h('form', { class: 'form', novalidate: true },
            field('Username', username, '3–32 letters, digits, dots, dashes or underscores'),
            field('Email', email, 'Use the address your school knows, so your attendance is matched to you'),
            field('Password', password, 'At least 8 characters'),
            message,
            h('div', { class: 'actions' }, submit,
                h('button', { class: 'button button-quiet', type: 'button', onclick: () => { mode = 'signin'; draw(); } }, 'I have an account')));
        const inputs = { username, email, password };
        form.addEventListener('submit', async (event) => {
            event.preventDefault();
            for (const input of Object.values(inputs)) setFieldError(input, '');
            submit.disabled = true;
            replace(message);
            try {
                done(await register(username.value.trim(), email.value.trim(), password.value));
            } catch (error) {
                if (error.fields) {
                    for (const [name, why] of Object.entries(error.fields)) {
                        if (inputs[name]) setFieldError(inputs[name], `${name[0].toUpperCase()}${name.slice(1)} ${why}`);
                    }
                }
                replace(message, notice('error', refusal(error)));
                submit.disabled = false;
            }
        });
        queueMicrotask(() => username.focus());
        return [h('h1', { id: 'signin-title', tabindex: '-1' }, 'Create an account'), form];
    }

    draw();
    replace(main, container);
}
