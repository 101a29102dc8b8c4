// The participants of one meeting as the dashboard shows them: built from the enriched
// attendance and the active sessions, then kept current by the Socket.IO events between
// refetches. One row per person, keyed by user (`u:<userId>`) once signed in, else by Zoom
// participant (`z:<participantId>`), else by rostered student (`r:<studentId>`).

import { parseTime } from './format.js';

function studentOf(info) {
    if (!info) return null;
    return {
        studentId: info.studentId,
        firstName: info.firstName,
        lastName: info.lastName,
        department: info.department,
        email: info.email,
    };
}

function intervalsOf(list) {
    return (list ?? []).map((i) => ({ join: parseTime(i.joinTime), leave: parseTime(i.leaveTime) }))
        .filter((i) => i.join !== null)
        .sort((a, b) => a.join - b.join);
}

function rowKey({ userId, participantId, studentId }) {
    if (userId) return `u:${userId}`;
    if (participantId) return `z:${participantId}`;
    return `r:${studentId}`;
}

/// A row from one participant of GET /api/attendance-tracker/attendance/:id?enriched=true.
function rowFromAttendance(p, now) {
    const user = p.authenticatedUser;
    return {
        key: rowKey({ userId: p.userId, participantId: p.participantId, studentId: p.studentId }),
        source: p.source,
        name: p.participantName ?? user?.username ?? '',
        participantId: p.participantId ?? null,
        zoomEmail: p.source === 'zoom' ? p.email ?? null : null,
        isAuthenticated: Boolean(p.isAuthenticated),
        userId: p.userId ?? null,
        username: user?.username ?? null,
        email: user?.email ?? p.email ?? null,
        role: user?.role ?? null,
        student: studentOf(p.studentInfo),
        sessionId: p.userSession?.sessionId ?? null,
        sessionActive: Boolean(p.userSession?.isActive),
        isActive: Boolean(p.isActive),
        attendanceStatus: p.attendanceStatus ?? null,
        intervals: intervalsOf(p.intervals),
        duration: Number(p.duration) || 0,
        measuredAt: now,
        linkedBy: p.linkedBy ?? null,
    };
}

/// A row from one entry of GET /api/user-sessions/meeting/:id/authenticated-participants
/// (active sessions only), for a user the attendance list does not know yet.
function rowFromSession(s, now) {
    const join = parseTime(s.joinTime);
    return {
        key: rowKey({ userId: s.userId ?? s.user?.id }),
        source: s.zoomParticipant ? 'zoom' : 'user-session',
        name: s.zoomParticipant?.participantName ?? s.participantName ?? s.user?.username ?? '',
        participantId: s.zoomParticipant?.participantId ?? null,
        zoomEmail: s.zoomParticipant?.email ?? null,
        isAuthenticated: true,
        userId: String(s.userId ?? s.user?.id),
        username: s.user?.username ?? null,
        email: s.user?.email ?? null,
        role: s.user?.role ?? null,
        student: studentOf(s.student),
        sessionId: s.sessionId,
        sessionActive: true,
        isActive: true,
        attendanceStatus: null,
        intervals: join === null ? [] : [{ join, leave: null }],
        duration: join === null ? 0 : Math.max(0, (now - join) / 60000),
        measuredAt: now,
        linkedBy: s.linkedBy ?? null,
    };
}

/// Minutes attended as of `now`: what the server measured plus, while active, the time since.
export function durationAt(row, now) {
    if (!row.isActive) return row.duration;
    return row.duration + Math.max(0, now - row.measuredAt) / 60000;
}

function closeOpenInterval(row, at) {
    for (const interval of row.intervals) {
        if (interval.leave === null) interval.leave = Math.max(at, interval.join);
    }
}

export class ParticipantList {
    constructor() {
        this.rows = new Map();
    }

    /// Replaces everything with the server's view. `attendance` may be null (a meeting the
    /// tracker has not seen yet); `sessions` adds signed-in users it does not list yet.
    reset(attendance, sessions, now) {
        const next = new Map();
        for (const p of attendance?.participants ?? []) {
            const row = rowFromAttendance(p, now);
            next.set(row.key, row);
        }
        for (const s of sessions ?? []) {
            const row = rowFromSession(s, now);
            const known = next.get(row.key);
            if (known) {
                known.sessionId = s.sessionId;
                known.sessionActive = true;
                if (!known.linkedBy && s.linkedBy) known.linkedBy = s.linkedBy;
            } else {
                next.set(row.key, row);
            }
        }
        this.rows = next;
    }

    list() {
        return [...this.rows.values()];
    }

    get size() {
        return this.rows.size;
    }

    findByParticipant(participantId) {
        for (const row of this.rows.values()) if (row.participantId === participantId) return row;
        return null;
    }

    /// userJoinedMeeting: {sessionId, meetingId, user, student, joinTime, participantData}
    userJoined(e, now) {
        const key = rowKey({ userId: String(e.user.id) });
        const join = parseTime(e.joinTime) ?? now;
        let row = this.rows.get(key);
        if (!row) {
            row = {
                key,
                source: 'user-session',
                name: e.participantData?.participantName || e.user.username,
                participantId: null,
                zoomEmail: null,
                intervals: [],
                duration: 0,
                measuredAt: now,
                linkedBy: null,
                attendanceStatus: null,
            };
            this.rows.set(key, row);
        }
        Object.assign(row, {
            isAuthenticated: true,
            userId: String(e.user.id),
            username: e.user.username,
            email: e.user.email,
            role: e.user.role,
            student: studentOf(e.student) ?? row.student ?? null,
            sessionId: e.sessionId,
            sessionActive: true,
        });
        if (row.source === 'user-session') {
            if (!row.isActive) {
                row.duration = durationAt(row, now);
                row.measuredAt = now;
            }
            row.isActive = true;
            if (!row.intervals.some((i) => i.leave === null)) row.intervals.push({ join, leave: null });
        }
        return row;
    }

    /// userLeftMeeting: {sessionId, meetingId, user, leaveTime, duration, reason}
    userLeft(e, now) {
        const row = this.rows.get(rowKey({ userId: String(e.user.id) }));
        if (!row) return null;
        row.sessionActive = false;
        // a linked Zoom participant's presence is Zoom's to report
        if (row.source === 'user-session' && row.isActive) {
            row.duration = durationAt(row, now);
            row.measuredAt = now;
            row.isActive = false;
            closeOpenInterval(row, parseTime(e.leaveTime) ?? now);
        }
        return row;
    }

    /// participantLinked: {meetingId, sessionId, userId, linkedBy, participant}
    linked(e, now) {
        const key = rowKey({ userId: String(e.userId) });
        const zoom = this.findByParticipant(e.participant.participantId);
        let row = this.rows.get(key);
        if (!row) {
            row = zoom ? { ...zoom } : {
                source: 'zoom', intervals: [], duration: 0, measuredAt: now, isActive: true, attendanceStatus: null,
                student: null, username: null, email: e.participant.email ?? null, role: null, sessionActive: true,
            };
            this.rows.set(key, row);
        }
        if (zoom && zoom !== row) {
            this.rows.delete(zoom.key);
            Object.assign(row, {
                intervals: zoom.intervals,
                isActive: zoom.isActive,
                duration: zoom.duration,
                measuredAt: zoom.measuredAt,
                attendanceStatus: zoom.attendanceStatus ?? row.attendanceStatus,
                student: row.student ?? zoom.student,
            });
        }
        Object.assign(row, {
            key,
            source: 'zoom',
            userId: String(e.userId),
            isAuthenticated: true,
            sessionId: e.sessionId ?? row.sessionId ?? null,
            participantId: e.participant.participantId,
            name: e.participant.participantName ?? row.name,
            zoomEmail: e.participant.email ?? null,
            linkedBy: e.linkedBy,
        });
        return row;
    }

    /// zoomParticipantJoined / zoomParticipantLeft: {meetingId, participant}
    zoomChanged(e, now) {
        const p = e.participant;
        let row = this.findByParticipant(p.participantId);
        if (!row) {
            row = {
                key: rowKey({ participantId: p.participantId }),
                source: 'zoom',
                isAuthenticated: false,
                userId: null,
                username: null,
                email: p.email ?? null,
                role: null,
                student: null,
                sessionId: null,
                sessionActive: false,
                linkedBy: null,
            };
            this.rows.set(row.key, row);
        }
        Object.assign(row, {
            participantId: p.participantId,
            name: p.participantName ?? row.name,
            zoomEmail: p.email ?? null,
            intervals: intervalsOf(p.intervals),
            isActive: Boolean(p.isActive),
            attendanceStatus: p.attendanceStatus ?? row.attendanceStatus ?? null,
            duration: Number(p.duration) || 0,
            measuredAt: now,
        });
        if (!row.isAuthenticated) row.email = p.email ?? row.email;
        return row;
    }

    /// meetingSessionsEnded: every session of the meeting ended at `at`.
    sessionsEnded(e, now) {
        const at = parseTime(e.at) ?? now;
        for (const row of this.rows.values()) {
            if (!row.sessionActive) continue;
            this.userLeft({ user: { id: row.userId }, leaveTime: new Date(at).toISOString() }, now);
        }
    }

    /// The authentication statistics of what is on screen (the contract's authenticationStats).
    stats(now) {
        const attended = this.list().filter((r) => r.source !== 'roster');
        const authenticated = attended.filter((r) => r.isAuthenticated).length;
        const count = (status) => this.list().filter((r) => r.attendanceStatus === status).length;
        return {
            totalParticipants: attended.length,
            inMeeting: attended.filter((r) => r.isActive).length,
            authenticatedParticipants: authenticated,
            unauthenticatedParticipants: attended.length - authenticated,
            authenticationRate: attended.length ? authenticated / attended.length : 0,
            studentsIdentified: attended.filter((r) => r.student).length,
            activeUserSessions: attended.filter((r) => r.sessionActive).length,
            unlinkedUserSessions: attended.filter((r) => r.sessionActive && !r.linkedBy).length,
            present: count('present'),
            late: count('late'),
            partial: count('partial'),
            absent: count('absent'),
            minutes: attended.reduce((sum, r) => sum + durationAt(r, now), 0),
        };
    }
}
