-- Times are epoch milliseconds (UTC); the API turns them into ISO-8601 strings.
-- *_key columns hold the ASCII-lower-cased or normalised forms that lookups compare.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT    NOT NULL,
    username_key  TEXT    NOT NULL UNIQUE,
    email         TEXT    NOT NULL,
    email_key     TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'user')),
    student_id    INTEGER,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

CREATE TABLE students (
    student_id  INTEGER PRIMARY KEY,
    first_name  TEXT    NOT NULL,
    last_name   TEXT    NOT NULL,
    department  TEXT    NOT NULL DEFAULT '',
    email       TEXT    NOT NULL,
    email_key   TEXT    NOT NULL,
    email_local TEXT    NOT NULL,
    name_key    TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX students_by_email ON students (email_key);
CREATE INDEX students_by_email_local ON students (email_local);
CREATE INDEX students_by_name ON students (name_key);

CREATE TABLE meetings (
    meeting_id    TEXT    PRIMARY KEY,
    uuid          TEXT,
    topic         TEXT,
    host_id       TEXT,
    start_time    INTEGER,
    end_time      INTEGER,
    status        TEXT    NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'live', 'ended')),
    first_seen_at INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL
);

CREATE TABLE user_sessions (
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
    is_active        INTEGER NOT NULL CHECK (is_active IN (0, 1)),
    end_reason       TEXT    CHECK (end_reason IN ('left', 'expired', 'meeting-ended')),
    student_id       INTEGER,
    matched_by       TEXT
);
CREATE INDEX user_sessions_by_user ON user_sessions (user_id, join_time DESC, session_id DESC);
CREATE INDEX user_sessions_by_meeting ON user_sessions (meeting_id, join_time);
-- One active session per user and meeting: concurrent identical joins cannot make two.
CREATE UNIQUE INDEX user_sessions_one_active ON user_sessions (user_id, meeting_id) WHERE is_active = 1;
CREATE INDEX user_sessions_idle ON user_sessions (last_activity) WHERE is_active = 1;

-- One person in one meeting as Zoom reports them (rejoins included); participant_key is
-- the identity rule's kind and value, participant_id the value the API shows.
CREATE TABLE zoom_participants (
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
    linked_by        TEXT    CHECK (linked_by IN ('email', 'customer-key', 'name')),
    UNIQUE (meeting_id, participant_key)
);
CREATE INDEX zoom_participants_by_user ON zoom_participants (meeting_id, user_id);
CREATE INDEX zoom_participants_by_email ON zoom_participants (meeting_id, email_key);
CREATE INDEX zoom_participants_by_name ON zoom_participants (meeting_id, name_key);
CREATE INDEX zoom_participants_by_customer_key ON zoom_participants (meeting_id, customer_key);

-- Every join and leave time Zoom reported for a participant. Their intervals are these
-- times paired in Zoom's order, so deliveries may arrive in any order.
CREATE TABLE zoom_participant_events (
    participant_row INTEGER NOT NULL REFERENCES zoom_participants (id),
    at              INTEGER NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('join', 'leave')),
    PRIMARY KEY (participant_row, at, kind)
) WITHOUT ROWID;

-- Webhook deliveries already applied: a redelivery (same event, meeting, participant and
-- time) changes nothing.
CREATE TABLE zoom_deliveries (
    event           TEXT    NOT NULL,
    meeting_id      TEXT    NOT NULL,
    participant_key TEXT    NOT NULL,
    event_time      INTEGER NOT NULL,
    received_at     INTEGER NOT NULL,
    PRIMARY KEY (event, meeting_id, participant_key, event_time)
) WITHOUT ROWID;

CREATE TABLE meeting_roster (
    meeting_id TEXT    NOT NULL,
    student_id INTEGER NOT NULL,
    PRIMARY KEY (meeting_id, student_id)
) WITHOUT ROWID;

-- Periodic tasks shared by every instance on this database (the session expiry pass).
CREATE TABLE maintenance_runs (
    task        TEXT    PRIMARY KEY,
    last_run_at INTEGER NOT NULL
);
