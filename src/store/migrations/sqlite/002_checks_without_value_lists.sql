-- SQLite compiles a CHECK of the form `x IN ('a', 'b', 'c')` into a temporary index that it
-- builds on every INSERT or UPDATE of the column: ~6% of the writer's time on the hot
-- paths (every join upserts a meeting, every leave sets end_reason, every webhook inserts a
-- participant). The same rules written as comparisons cost nothing. SQLite cannot change a
-- CHECK in place, so the three tables are rebuilt with their rows, ids and sequences.
--
-- user_sessions_idle is not rebuilt: every heartbeat had to move the session in it, and the
-- expiry pass finds idle sessions as fast through user_sessions_one_active (also active
-- sessions only).

CREATE TABLE meetings_rebuilt (
    meeting_id    TEXT    PRIMARY KEY,
    uuid          TEXT,
    topic         TEXT,
    host_id       TEXT,
    start_time    INTEGER,
    end_time      INTEGER,
    status        TEXT    NOT NULL DEFAULT 'scheduled'
                          CHECK (status = 'scheduled' OR status = 'live' OR status = 'ended'),
    first_seen_at INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL
);
INSERT INTO meetings_rebuilt
    (meeting_id, uuid, topic, host_id, start_time, end_time, status, first_seen_at, last_seen_at)
SELECT meeting_id, uuid, topic, host_id, start_time, end_time, status, first_seen_at, last_seen_at
FROM meetings;
DROP TABLE meetings;
ALTER TABLE meetings_rebuilt RENAME TO meetings;

CREATE TABLE user_sessions_rebuilt (
    session_id       TEXT    PRIMARY KEY,
    user_id          INTEGER NOT NULL,
    meeting_id       TEXT    NOT NULL,
    participant_name TEXT    NOT NULL,
    name_key         TEXT    NOT NULL,
    device           TEXT,
    join_time        INTEGER NOT NULL,
    last_activity    INTEGER NOT NULL,
    leave_time       INTEGER,
    duration         REAL,
    is_active        INTEGER NOT NULL CHECK (is_active = 0 OR is_active = 1),
    end_reason       TEXT    CHECK (end_reason = 'left' OR end_reason = 'expired'
                                    OR end_reason = 'meeting-ended'),
    student_id       INTEGER,
    matched_by       TEXT
);
INSERT INTO user_sessions_rebuilt
    (session_id, user_id, meeting_id, participant_name, name_key, device, join_time,
     last_activity, leave_time, duration, is_active, end_reason, student_id, matched_by)
SELECT session_id, user_id, meeting_id, participant_name, name_key, device, join_time,
       last_activity, leave_time, duration, is_active, end_reason, student_id, matched_by
FROM user_sessions;
DROP TABLE user_sessions;
ALTER TABLE user_sessions_rebuilt RENAME TO user_sessions;
CREATE INDEX user_sessions_by_user ON user_sessions (user_id, join_time DESC, session_id DESC);
CREATE INDEX user_sessions_by_meeting ON user_sessions (meeting_id, join_time);
-- One active session per user and meeting: concurrent identical joins cannot make two.
CREATE UNIQUE INDEX user_sessions_one_active ON user_sessions (user_id, meeting_id) WHERE is_active = 1;

-- zoom_participant_events refers to zoom_participants, and foreign keys stay on during
-- migrations (they run in one transaction), so both are rebuilt: the old events table is
-- dropped before the participants it refers to, and the renames carry the new reference.
CREATE TABLE zoom_participants_rebuilt (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id       TEXT    NOT NULL,
    participant_key  TEXT    NOT NULL,
    participant_id   TEXT    NOT NULL,
    zoom_user_id     TEXT,
    participant_name TEXT,
    name_key         TEXT    NOT NULL DEFAULT '',
    email            TEXT,
    email_key        TEXT,
    customer_key     TEXT,
    is_active        INTEGER NOT NULL DEFAULT 0,
    user_id          INTEGER,
    session_id       TEXT,
    linked_by        TEXT    CHECK (linked_by = 'email' OR linked_by = 'customer-key'
                                    OR linked_by = 'name'),
    UNIQUE (meeting_id, participant_key)
);
INSERT INTO zoom_participants_rebuilt
    (id, meeting_id, participant_key, participant_id, zoom_user_id, participant_name, name_key,
     email, email_key, customer_key, is_active, user_id, session_id, linked_by)
SELECT id, meeting_id, participant_key, participant_id, zoom_user_id, participant_name, name_key,
       email, email_key, customer_key, is_active, user_id, session_id, linked_by
FROM zoom_participants;
-- AUTOINCREMENT never reuses an id, even one whose row is gone: keep the old high-water mark.
UPDATE sqlite_sequence
SET seq = (SELECT seq FROM sqlite_sequence WHERE name = 'zoom_participants')
WHERE name = 'zoom_participants_rebuilt'
  AND EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'zoom_participants');
INSERT INTO sqlite_sequence (name, seq)
SELECT 'zoom_participants_rebuilt', seq FROM sqlite_sequence
WHERE name = 'zoom_participants'
  AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'zoom_participants_rebuilt');

CREATE TABLE zoom_participant_events_rebuilt (
    participant_row INTEGER NOT NULL REFERENCES zoom_participants_rebuilt (id),
    at              INTEGER NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind = 'join' OR kind = 'leave'),
    PRIMARY KEY (participant_row, at, kind)
) WITHOUT ROWID;
INSERT INTO zoom_participant_events_rebuilt (participant_row, at, kind)
SELECT participant_row, at, kind FROM zoom_participant_events;

DROP TABLE zoom_participant_events;
DROP TABLE zoom_participants;
ALTER TABLE zoom_participants_rebuilt RENAME TO zoom_participants;
ALTER TABLE zoom_participant_events_rebuilt RENAME TO zoom_participant_events;
CREATE INDEX zoom_participants_by_user ON zoom_participants (meeting_id, user_id);
CREATE INDEX zoom_participants_by_email ON zoom_participants (meeting_id, email_key);
CREATE INDEX zoom_participants_by_name ON zoom_participants (meeting_id, name_key);
CREATE INDEX zoom_participants_by_customer_key ON zoom_participants (meeting_id, customer_key);
