// The JSON API as the pages use it: the bearer token from localStorage ('authToken', as the
// seed's front-end code keeps it), contract errors as ApiError, network failures as NetworkError.

const TOKEN_KEY = 'authToken';

export const token = {
    get: () => localStorage.getItem(TOKEN_KEY),
    set: (value) => localStorage.setItem(TOKEN_KEY, value),
    clear: () => localStorage.removeItem(TOKEN_KEY),
};

/// An answer of the API with `success: false` (CONTRACT section 2).
export class ApiError extends Error {
    constructor(status, body, retryAfterSeconds) {
        super(body?.message || `Request failed (${status})`);
        this.name = 'ApiError';
        this.status = status;
        this.code = body?.code || 'http_error';
        this.fields = body?.fields || null;
        this.retryAfterSeconds = retryAfterSeconds;
    }
}

/// The request never got an answer (offline, server down, connection reset).
export class NetworkError extends Error {
    constructor(cause) {
        super('The server cannot be reached');
        this.name = 'NetworkError';
        this.cause = cause;
    }
}

const SIGNED_OUT_CODES = new Set(['missing_token', 'invalid_token', 'user_not_found']);

/// Whether an error is worth retrying later (no answer, storage down, rate limited, 5xx).
export function isTransient(error) {
    return error instanceof NetworkError ||
        (error instanceof ApiError && (error.status >= 500 || error.status === 429));
}

/// One API call. `json` is sent as application/json; `body` with `contentType` as is.
/// With `raw`, a successful Response is returned unread (for downloads).
export async function api(method, path, { json, body, contentType, keepalive, signal, raw } = {}) {
    const headers = { Accept: 'application/json' };
    const bearer = token.get();
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    let payload = body;
    if (json !== undefined) {
        headers['Content-Type'] = 'application/json';
        payload = JSON.stringify(json);
    } else if (contentType) {
        headers['Content-Type'] = contentType;
    }
    let res;
    try {
        res = await fetch(path, { method, headers, body: payload, keepalive, signal, cache: 'no-store' });
    } catch (error) {
        if (error.name === 'AbortError') throw error;
        throw new NetworkError(error);
    }
    if (raw && res.ok) return res;
    let data = null;
    try {
        const text = await res.text();
        data = text ? JSON.parse(text) : null;
    } catch (error) {
        if (error.name === 'AbortError') throw error;
        data = null;
    }
    if (!res.ok || data?.success === false) {
        const retry = Number(res.headers.get('Retry-After'));
        const failure = new ApiError(res.status, data, Number.isFinite(retry) && retry > 0 ? retry : null);
        if (res.status === 401 && SIGNED_OUT_CODES.has(failure.code) && bearer) {
            window.dispatchEvent(new CustomEvent('headcount:unauthorized', { detail: failure }));
        } else if (res.status === 403 && failure.code === 'forbidden') {
            window.dispatchEvent(new CustomEvent('headcount:forbidden', { detail: failure }));
        }
        throw failure;
    }
    return data;
}

/// A human sentence for any error a page may show.
export function describeError(error) {
    if (error instanceof NetworkError) return 'The server cannot be reached. Check your connection; we will keep trying.';
    if (error instanceof ApiError) {
        if (error.fields) {
            const details = Object.entries(error.fields).map(([name, why]) => `${name} ${why}`).join('; ');
            return `${error.message}: ${details}`;
        }
        return error.message;
    }
    return String(error?.message || error);
}
