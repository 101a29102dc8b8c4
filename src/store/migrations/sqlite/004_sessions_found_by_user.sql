-- user_sessions had two indexes led by the user: the session id's own (the id begins with
-- the user id) and user_sessions_by_user. Every join wrote both, each on its user's page, so
-- a commit of N joins by N users carried about 2N index pages to the WAL and the disk. The
-- id also carries the join time, so user_sessions_by_user, now UNIQUE, finds a session by
-- (user_id, join_time, session_id) and keeps ids unique: the table is rebuilt without the
-- primary key on session_id, with its rows.

CREATE TABLE user_sessions_rebuilt (
    session_id       TEXT    NOT NULL,
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
FROM user_sessions ORDER BY join_time, session_id;
DROP TABLE user_sessions;
ALTER TABLE user_sessions_rebuilt RENAME TO user_sessions;
CREATE UNIQUE INDEX user_sessions_by_user
    ON user_sessions (user_id, join_time DESC, session_id DESC);
CREATE INDEX user_sessions_by_meeting ON user_sessions (meeting_id, join_time);
-- One active session per user and meeting: concurrent identical joins cannot make two.
CREATE UNIQUE INDEX user_sessions_one_active ON user_sessions (user_id, meeting_id)
    WHERE is_active = 1;
