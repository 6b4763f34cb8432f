-- Schema version 3: data safety and privacy. Erasing a person removes every row about them; what is kept
-- are anonymous numbers, so the totals of past reports do not change, and the uids of erased people, so
-- that restoring a backup made before an erasure erases them again (a uid is a random UUID: it says
-- nothing about anyone without a copy that still holds the person).

-- Attendance records of erased people, per event, role and status, with their minutes added up.
-- Reports add these to attendance totals; they hold no person.
CREATE TABLE event_anonymous_counts (
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    role     TEXT NOT NULL CHECK (role IN ('participant', 'speaker', 'moderator', 'organiser')),
    status   TEXT NOT NULL CHECK (status IN ('registered', 'attended', 'absent', 'cancelled')),
    count    INTEGER NOT NULL CHECK (count > 0),
    minutes  INTEGER NOT NULL DEFAULT 0 CHECK (minutes >= 0),
    PRIMARY KEY (event_id, role, status)
) WITHOUT ROWID;

-- Erased people who had attended (status 'attended') at least one event of a project, for the
-- project's count of unique participants.
CREATE TABLE project_anonymous_people (
    project_id INTEGER PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    people     INTEGER NOT NULL CHECK (people > 0)
);

-- The uids of erased people and when they were erased.
CREATE TABLE erasures (
    uid       TEXT PRIMARY KEY,
    erased_at TEXT NOT NULL
) WITHOUT ROWID;
