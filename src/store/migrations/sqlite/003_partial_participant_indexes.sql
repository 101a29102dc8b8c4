-- The four lookup indexes of zoom_participants held every row, also those whose looked-up
-- column is empty: a new participant has no user yet and rarely a customer key, a guest may
-- have no email. Every new participant (half of all webhook deliveries) wrote all four.
-- Each lookup compares the column with a value (`user_id = ?`, `email_key = ?`,
-- `customer_key = ?`, `name_key <> '' AND name_key IN (...)`), which SQLite knows excludes
-- the empty rows, so the same queries use these partial indexes unchanged.

DROP INDEX zoom_participants_by_user;
CREATE INDEX zoom_participants_by_user ON zoom_participants (meeting_id, user_id)
    WHERE user_id IS NOT NULL;

DROP INDEX zoom_participants_by_email;
CREATE INDEX zoom_participants_by_email ON zoom_participants (meeting_id, email_key)
    WHERE email_key IS NOT NULL;

DROP INDEX zoom_participants_by_name;
CREATE INDEX zoom_participants_by_name ON zoom_participants (meeting_id, name_key)
    WHERE name_key <> '';

DROP INDEX zoom_participants_by_customer_key;
CREATE INDEX zoom_participants_by_customer_key ON zoom_participants (meeting_id, customer_key)
    WHERE customer_key IS NOT NULL;
