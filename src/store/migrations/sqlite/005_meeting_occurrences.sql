-- A meeting id is a series (a recurring meeting, a personal meeting id); each occurrence of it
-- (Zoom's meeting uuid) has its own start, end, status, participants, marks, deliveries and
-- web sessions. Each meeting stored so far becomes its first occurrence, keeping its uuid,
-- schedule and status; the series keeps its topic, host and first/last seen times.

-- No AUTOINCREMENT: its sqlite_sequence row is one more write on every join to a new meeting
-- (which opens a pending occurrence), and an id of a pending occurrence that went (the only
-- deletes) may be handed out again harmlessly: it is looked up with its meeting.
CREATE TABLE meeting_occurrences (
    id            INTEGER PRIMARY KEY,
    meeting_id    TEXT    NOT NULL,
    uuid          TEXT,
    start_time    INTEGER,
    end_time      INTEGER,
    status        TEXT    NOT NULL DEFAULT 'scheduled'
                          CHECK (status = 'scheduled' OR status = 'live' OR status = 'ended'),
    first_seen_at INTEGER NOT NULL
);
INSERT INTO meeting_occurrences (meeting_id, uuid, start_time, end_time, status, first_seen_at)
SELECT meeting_id, uuid, start_time, end_time, status, first_seen_at
FROM meetings ORDER BY first_seen_at, meeting_id;
-- Zoom's uuid names one occurrence; occurrences opened before Zoom reported them have none.
CREATE UNIQUE INDEX meeting_occurrences_by_uuid ON meeting_occurrences (meeting_id, uuid)
    WHERE uuid IS NOT NULL;
-- Latest first and "live at a time" both walk a meeting's occurrences by start.
CREATE INDEX meeting_occurrences_by_start
    ON meeting_occurrences (meeting_id, coalesce(start_time, first_seen_at));

-- WITHOUT ROWID: the rows are kept in the primary key's b-tree, so a new meeting (every join
-- to a meeting not seen before) writes one b-tree instead of the table and its key's index.
CREATE TABLE meetings_rebuilt (
    meeting_id    TEXT    PRIMARY KEY,
    topic         TEXT,
    host_id       TEXT,
    first_seen_at INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO meetings_rebuilt (meeting_id, topic, host_id, first_seen_at, last_seen_at)
SELECT meeting_id, topic, host_id, first_seen_at, last_seen_at FROM meetings;
DROP TABLE meetings;
ALTER TABLE meetings_rebuilt RENAME TO meetings;

-- A session belongs to the occurrence live when it started. Its meeting stays, for the one
-- active session per user and meeting.
ALTER TABLE user_sessions ADD COLUMN occurrence_id INTEGER;
UPDATE user_sessions SET occurrence_id =
    (SELECT o.id FROM meeting_occurrences o WHERE o.meeting_id = user_sessions.meeting_id);
DROP INDEX user_sessions_by_meeting;
CREATE INDEX user_sessions_by_occurrence ON user_sessions (occurrence_id, join_time);
-- The seed's meeting page sends the participant name "Auto-detected from token", which stands
-- for no name: such sessions take the username, as sessions without a name do.
UPDATE user_sessions
SET participant_name = (SELECT u.username FROM users u WHERE u.id = user_sessions.user_id),
    name_key = (SELECT u.username_key FROM users u WHERE u.id = user_sessions.user_id)
WHERE participant_name = 'Auto-detected from token'
  AND EXISTS (SELECT 1 FROM users u WHERE u.id = user_sessions.user_id);

-- One person in one occurrence. The table is rebuilt for its new unique key, and the marks
-- that refer to it with it (as in 002: the old marks go before the participants they refer
-- to, and the renames carry the new reference).
CREATE TABLE zoom_participants_rebuilt (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    occurrence_id    INTEGER NOT NULL,
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
    UNIQUE (occurrence_id, participant_key)
);
INSERT INTO zoom_participants_rebuilt
    (id, occurrence_id, meeting_id, participant_key, participant_id, zoom_user_id,
     participant_name, name_key, email, email_key, customer_key, is_active, user_id, session_id,
     linked_by)
SELECT p.id, o.id, p.meeting_id, p.participant_key, p.participant_id, p.zoom_user_id,
       p.participant_name, p.name_key, p.email, p.email_key, p.customer_key, p.is_active,
       p.user_id, p.session_id, p.linked_by
FROM zoom_participants p JOIN meeting_occurrences o ON o.meeting_id = p.meeting_id;
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
-- Partial, as in 003: each lookup compares its column with a value, which excludes the rows
-- where it is empty.
CREATE INDEX zoom_participants_by_user ON zoom_participants (occurrence_id, user_id)
    WHERE user_id IS NOT NULL;
CREATE INDEX zoom_participants_by_email ON zoom_participants (occurrence_id, email_key)
    WHERE email_key IS NOT NULL;
CREATE INDEX zoom_participants_by_name ON zoom_participants (occurrence_id, name_key)
    WHERE name_key <> '';
CREATE INDEX zoom_participants_by_customer_key ON zoom_participants (occurrence_id, customer_key)
    WHERE customer_key IS NOT NULL;

-- A redelivery is the same event, occurrence, participant and time.
CREATE TABLE zoom_deliveries_rebuilt (
    event           TEXT    NOT NULL,
    occurrence_id   INTEGER NOT NULL,
    participant_key TEXT    NOT NULL,
    event_time      INTEGER NOT NULL,
    received_at     INTEGER NOT NULL,
    PRIMARY KEY (event, occurrence_id, participant_key, event_time)
) WITHOUT ROWID;
INSERT INTO zoom_deliveries_rebuilt (event, occurrence_id, participant_key, event_time, received_at)
SELECT d.event, o.id, d.participant_key, d.event_time, d.received_at
FROM zoom_deliveries d JOIN meeting_occurrences o ON o.meeting_id = d.meeting_id;
DROP TABLE zoom_deliveries;
ALTER TABLE zoom_deliveries_rebuilt RENAME TO zoom_deliveries;
