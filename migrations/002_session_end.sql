-- Version 1 -> 2: an officer can end a session before it expires (sportello logout).
ALTER TABLE sessions ADD COLUMN ended_at TEXT;
