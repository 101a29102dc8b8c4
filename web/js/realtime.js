// The Socket.IO connection: one per signed-in tab, with the token in the CONNECT packet's
// auth (CONTRACT section 4). socket.io-client reconnects by itself after a network failure;
// a refusal by the server (a bad token) it does not retry, so that case is handled here.
// The state is shown in the top bar's connection indicator.

import { io } from '../vendor/socket.io.esm.min.js';
import { token } from './api.js';

const STATES = {
    idle: 'Not connected',
    connecting: 'Connecting…',
    online: 'Live',
    reconnecting: 'Reconnecting…',
    error: 'Live updates unavailable',
};
/// After a refusal that was not about the token (or a server restart), try again this often.
const RETRY_AFTER_REFUSAL_MS = 5000;

export class Realtime {
    /// `indicator` is the top bar's status element; `onRefused` is told when the server
    /// refuses the token, so the page can ask the user to sign in again.
    constructor(indicator, { onRefused } = {}) {
        this.indicator = indicator;
        this.onRefused = onRefused;
        this.socket = null;
        this.listeners = new Map();
        this.resyncListeners = new Set();
        this.meetings = new Set();
        this.retryTimer = null;
        this.setState('idle');
    }

    start() {
        if (this.socket) return;
        this.setState('connecting');
        // auth as a function: every (re)connection sends the token stored now
        const socket = io({ auth: (send) => send({ token: token.get() }), reconnectionDelayMax: 5000 });
        this.socket = socket;
        for (const [event, handlers] of this.listeners) {
            for (const fn of handlers) socket.on(event, fn);
        }
        socket.on('connect', () => {
            this.setState('online');
            // A recovered connection keeps its subscriptions and replays what it missed; any
            // other (the first included: events may have come between a page's fetch and now)
            // subscribes again and has the pages refetch.
            if (socket.recovered) return;
            for (const meetingId of this.meetings) this.emitSubscription('subscribe', meetingId);
            for (const fn of this.resyncListeners) fn();
        });
        socket.on('disconnect', (reason) => {
            // the server closing us on purpose (io server disconnect) is not retried by the client
            if (reason === 'io server disconnect') this.retryLater();
            this.setState(socket.active ? 'reconnecting' : 'error');
        });
        socket.on('connect_error', (error) => {
            if (socket.active) {
                this.setState('reconnecting');
                return;
            }
            // refused by the server's middleware: a token problem or a transient refusal
            this.setState('error', error.message);
            this.onRefused?.(error);
            this.retryLater();
        });
    }

    stop() {
        clearTimeout(this.retryTimer);
        this.socket?.disconnect();
        this.socket = null;
        this.meetings.clear();
        this.setState('idle');
    }

    retryLater() {
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => {
            if (this.socket && !this.socket.connected && token.get()) {
                this.setState('reconnecting');
                this.socket.connect();
            }
        }, RETRY_AFTER_REFUSAL_MS);
    }

    get connected() {
        return Boolean(this.socket?.connected);
    }

    /// Listens to a server event; returns the function that stops listening.
    on(event, fn) {
        if (!this.listeners.has(event)) this.listeners.set(event, new Set());
        this.listeners.get(event).add(fn);
        this.socket?.on(event, fn);
        return () => {
            this.listeners.get(event)?.delete(fn);
            this.socket?.off(event, fn);
        };
    }

    /// `fn` runs after every connection that may have missed events (all but recovered ones).
    onResync(fn) {
        this.resyncListeners.add(fn);
        return () => this.resyncListeners.delete(fn);
    }

    /// Only this meeting's events from now on (admins); undone by unsubscribe.
    subscribe(meetingId) {
        this.meetings.add(meetingId);
        if (this.connected) this.emitSubscription('subscribe', meetingId);
    }

    unsubscribe(meetingId) {
        if (!this.meetings.delete(meetingId)) return;
        if (this.connected) this.emitSubscription('unsubscribe', meetingId);
    }

    emitSubscription(kind, meetingId) {
        this.socket.timeout(5000).emit(kind, { meetingId }, () => {
            // an unanswered (or refused) subscription leaves the admin on every event: still correct
        });
    }

    setState(state, detail) {
        this.state = state;
        if (!this.indicator) return;
        this.indicator.dataset.state = state;
        this.indicator.hidden = state === 'idle';
        const text = this.indicator.querySelector('.connection-text');
        if (text) text.textContent = STATES[state];
        this.indicator.title = detail ? `${STATES[state]}: ${detail}` : STATES[state];
    }
}
