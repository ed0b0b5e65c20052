-- PostgreSQL variant of 0005_turns.sql: BIGINT where SQLite's INTEGER holds 64-bit values.
-- Turns. A row of session_events may stand for a run of consecutive events
-- (seq .. seq_end): the streamed reply deltas of one turn are stored as one
-- row holding the whole text and the chunk boundaries, not a row per delta.
-- reserved_seq: the highest seq handed out for the running turn (running_turn_id);
-- after a crash the events between last_seq and reserved_seq are recorded as
-- lost and the turn as aborted, so a seq is never reused.
ALTER TABLE session_events ADD COLUMN seq_end BIGINT;
ALTER TABLE sessions ADD COLUMN reserved_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN running_turn_id TEXT;
UPDATE sessions SET reserved_seq = last_seq;
CREATE INDEX session_events_by_turn ON session_events (session_id, turn_id);
