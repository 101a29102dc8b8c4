// Who is signed in. The token lives in localStorage ('authToken'); next to it the user the
// server last returned for it, so opening a page does not spend a request of the per-address
// /api/auth/* budget (a classroom behind one address would soon exhaust it). The role shown is
// only a hint: the server checks it on every call, and a 401 or 403 corrects it here.

import { api, ApiError, token } from './api.js';

const USER_KEY = 'authUser';

let current = null;

function remember(user) {
    current = user;
    localStorage.setItem(USER_KEY, JSON.stringify({ token: token.get(), user }));
}

function remembered() {
    try {
        const saved = JSON.parse(localStorage.getItem(USER_KEY) ?? 'null');
        return saved && saved.token === token.get() ? saved.user : null;
    } catch {
        return null;
    }
}

export function currentUser() {
    return current;
}

export function isAdmin() {
    return current?.role === 'admin';
}

/// The user of the stored token: remembered, else asked of GET /api/auth/me. Null when
/// there is no token or the server refuses it.
export async function loadUser({ fresh = false } = {}) {
    if (!token.get()) {
        current = null;
        return null;
    }
    const saved = fresh ? null : remembered();
    if (saved) {
        current = saved;
        return current;
    }
    try {
        remember((await api('GET', '/api/auth/me')).user);
    } catch (error) {
        if (error instanceof ApiError && error.status === 401) signOut();
        else throw error;
    }
    return current;
}

/// The server returned this user (join-meeting does): keep it.
export function updateUser(user) {
    if (user && current && String(user.id) === String(current.id)) remember({ ...current, ...user });
}

export async function signIn(login, password) {
    const answer = await api('POST', '/api/auth/login', { json: { login, password } });
    token.set(answer.token);
    remember(answer.user);
    return current;
}

export async function register(username, email, password) {
    const answer = await api('POST', '/api/auth/register', { json: { username, email, password } });
    token.set(answer.token);
    remember(answer.user);
    return current;
}

export function signOut() {
    token.clear();
    localStorage.removeItem(USER_KEY);
    current = null;
}
