-- Schema version 6: what an erasure kept anonymously of an import's attendance, so that undoing the
-- import afterwards takes those numbers back instead of leaving figures with no records behind them
-- (issue 21). Only aggregates per import are kept: no row says which erased person a number was.

-- Attendance records of erased people that an import had written, per import, event, role and status.
CREATE TABLE import_anonymous_counts (
    import_id INTEGER NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    event_id  INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    role      TEXT NOT NULL,
    status    TEXT NOT NULL,
    count     INTEGER NOT NULL CHECK (count > 0),
    minutes   INTEGER NOT NULL DEFAULT 0 CHECK (minutes >= 0),
    PRIMARY KEY (import_id, event_id, role, status)
) WITHOUT ROWID;

-- Erased people counted in a project's unique participants only because of one import (every record
-- of theirs that counted there came from it): undoing that import takes them out of the count.
CREATE TABLE import_anonymous_people (
    import_id  INTEGER NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    people     INTEGER NOT NULL CHECK (people > 0),
    PRIMARY KEY (import_id, project_id)
) WITHOUT ROWID;
