// The page shell: who is signed in, the top bar, the live connection and a small router that
// draws one view into <main> per URL (the server answers every one of these paths with this
// same page).

import { describeError } from './api.js';
import { currentUser, isAdmin, loadUser, signOut } from './auth.js';
import { announce, h, notice, replace } from './dom.js';
import { Realtime } from './realtime.js';
import * as attend from './views/attend.js';
import * as meeting from './views/meeting.js';
import * as meetings from './views/meetings.js';
import * as mySessions from './views/my-sessions.js';
import { renderSignIn } from './views/signin.js';
import * as students from './views/students.js';
import * as users from './views/users.js';

const ROUTES = [
    { path: /^\/(?:admin\/?)?$/, view: meetings, admin: true, nav: '/' },
    { path: /^\/admin\/meetings\/([^/]+)\/?$/, view: meeting, admin: true, nav: '/' },
    { path: /^\/admin\/students\/?$/, view: students, admin: true, nav: '/admin/students' },
    { path: /^\/admin\/users\/?$/, view: users, admin: true, nav: '/admin/users' },
    { path: /^\/meeting\/([^/]+)\/?$/, view: attend, purpose: 'Sign in to register your attendance for this meeting.' },
    { path: /^\/my-sessions\/?$/, view: mySessions, nav: '/my-sessions' },
];

const NAV = [
    { href: '/', label: 'Meetings', admin: true },
    { href: '/admin/students', label: 'Students', admin: true },
    { href: '/admin/users', label: 'Users', admin: true },
    { href: '/my-sessions', label: 'My sessions' },
];

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const whoami = document.getElementById('whoami');
const signOutButton = document.getElementById('sign-out');
const realtime = new Realtime(document.getElementById('connection'), {
    onRefused: async () => {
        // the socket was refused: if the API refuses the token too, the user must sign in again
        try {
            if (!(await loadUser({ fresh: true }))) expire();
        } catch {
            // the server is unreachable: the realtime retry handles it
        }
    },
});

let cleanups = [];
let controller = null;
let firstRender = true;
let signInReason = null;

function runCleanups() {
    controller?.abort();
    for (const fn of cleanups.splice(0)) {
        try {
            fn();
        } catch (error) {
            console.error('cleanup failed', error);
        }
    }
}

function matchRoute(pathname) {
    for (const route of ROUTES) {
        const m = route.path.exec(pathname);
        if (m) return { route, params: m.slice(1).map(decodeURIComponent) };
    }
    return null;
}

function navigate(path) {
    history.pushState(null, '', path);
    show();
}

function drawTopBar(route) {
    const user = currentUser();
    const links = user ? NAV.filter((item) => !item.admin || isAdmin()) : [];
    replace(nav, links.map((item) => h('a', {
        href: item.href, 'data-link': true, 'aria-current': route?.nav === item.href ? 'page' : null,
    }, item.label)));
    whoami.textContent = user ? `${user.username} (${user.role})` : '';
    signOutButton.hidden = !user;
}

function focusHeading() {
    const heading = main.querySelector('h1');
    if (!heading) return;
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
}

function renderForbidden(user) {
    document.title = 'Admin privileges required · headcount';
    replace(main, h('section', { class: 'panel', 'aria-labelledby': 'forbidden-title' },
        h('h1', { id: 'forbidden-title' }, 'Admin privileges required'),
        notice('error',
            h('p', null, `You are signed in as ${user.username}, which is not an administrator account.`),
            h('p', null, 'The dashboard is for administrators. Ask one to give your account the admin role.')),
        h('div', { class: 'actions' },
            h('a', { class: 'button', href: '/my-sessions', 'data-link': true }, 'See my sessions'),
            h('button', { class: 'button button-quiet', type: 'button', onclick: () => { doSignOut(); } },
                'Sign in as someone else'))));
}

function renderNotFound() {
    document.title = 'Page not found · headcount';
    replace(main, h('section', { class: 'panel' },
        h('h1', null, 'Page not found'),
        h('p', null, 'There is nothing at this address.'),
        h('a', { href: '/', 'data-link': true }, 'Go to the start page')));
}

async function show() {
    runCleanups();
    controller = new AbortController();
    const { signal } = controller;
    const found = matchRoute(location.pathname);
    drawTopBar(found?.route);
    if (!found) {
        renderNotFound();
        return;
    }
    const user = currentUser();
    if (!user) {
        document.title = 'Sign in · headcount';
        const reason = signInReason;
        signInReason = null;
        renderSignIn(main, {
            reason,
            purpose: found.route.purpose ?? (found.route.admin ? 'Sign in to the attendance dashboard.' : null),
            allowRegister: !found.route.admin,
            done: (signedIn) => {
                announce(`Signed in as ${signedIn.username}`);
                realtime.start();
                // the form the focus was in is gone: move it to the new page's heading
                firstRender = false;
                show();
            },
        });
        return;
    }
    if (found.route.admin && !isAdmin()) {
        renderForbidden(user);
        if (!firstRender) focusHeading();
        firstRender = false;
        return;
    }
    const ctx = {
        main,
        params: found.params,
        user,
        realtime,
        signal,
        navigate,
        onCleanup: (fn) => cleanups.push(fn),
        every: (ms, fn) => {
            const id = setInterval(fn, ms);
            cleanups.push(() => clearInterval(id));
        },
    };
    try {
        await found.route.view.render(ctx);
    } catch (error) {
        if (signal.aborted) return;
        console.error(error);
        replace(main, notice('error', h('p', null, `This page could not be shown: ${describeError(error)}`)));
    }
    if (signal.aborted) return;
    if (!firstRender) focusHeading();
    firstRender = false;
}

function doSignOut() {
    runCleanups();
    realtime.stop();
    signOut();
    announce('Signed out');
    show();
}

function expire() {
    if (!currentUser()) return;
    runCleanups();
    realtime.stop();
    signOut();
    signInReason = 'Your sign-in has expired or is no longer valid. Please sign in again.';
    show();
}

document.addEventListener('click', (event) => {
    const link = event.target.closest('a[data-link]');
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
        event.shiftKey || event.altKey || link.target) {
        return;
    }
    const url = new URL(link.href);
    if (url.origin !== location.origin) return;
    event.preventDefault();
    if (url.pathname + url.search !== location.pathname + location.search) navigate(url.pathname + url.search);
});
window.addEventListener('popstate', show);
window.addEventListener('headcount:unauthorized', expire);
window.addEventListener('headcount:forbidden', async () => {
    // the remembered role was stale (an admin made this account a user): ask once, redraw
    if (!isAdmin()) return;
    try {
        await loadUser({ fresh: true });
    } catch {
        return;
    }
    if (!isAdmin()) show();
});
signOutButton.addEventListener('click', doSignOut);
document.querySelector('.skip-link')?.addEventListener('click', (event) => {
    // following the #main fragment alone would not move the keyboard focus in every browser
    event.preventDefault();
    main.focus();
});

async function start() {
    try {
        await loadUser();
    } catch (error) {
        replace(main, notice('error', h('p', null, describeError(error)),
            h('p', null, h('a', { href: location.pathname }, 'Try again'))));
        return;
    }
    if (currentUser()) realtime.start();
    show();
}

start();
