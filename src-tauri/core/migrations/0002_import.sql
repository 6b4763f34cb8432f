-- Schema version 2: the undo journal of imports. An import records the attendance rows it changed (their
-- values before), and the people and organisations it created, so that undoing it puts the database back.
-- Attendance rows an import created need no journal: they carry its id in attendance.import_id. Remembered
-- column mappings of generic sheets live in `settings` under `import.mapping.<hash of the header row>`.

-- Attendance rows an import updated, with their values from before it.
CREATE TABLE import_changes (
    import_id      INTEGER NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    attendance_id  INTEGER NOT NULL REFERENCES attendance (id) ON DELETE CASCADE,
    role           TEXT NOT NULL,
    status         TEXT NOT NULL,
    minutes        INTEGER,
    first_join     TEXT,
    last_leave     TEXT,
    prev_import_id INTEGER,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (import_id, attendance_id)
) WITHOUT ROWID;
CREATE INDEX import_changes_attendance ON import_changes (attendance_id);
CREATE INDEX import_changes_previous ON import_changes (prev_import_id) WHERE prev_import_id IS NOT NULL;

-- People an import created. The foreign key forgets the link when the person is erased, so a later undo
-- can never delete someone else who got the same row id.
CREATE TABLE import_people (
    person_id INTEGER PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    import_id INTEGER NOT NULL REFERENCES imports (id) ON DELETE CASCADE
);
CREATE INDEX import_people_import ON import_people (import_id);

-- Organisations an import created (from an organisation column of a sign-in sheet).
CREATE TABLE import_organisations (
    organisation_id INTEGER PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
    import_id       INTEGER NOT NULL REFERENCES imports (id) ON DELETE CASCADE
);
CREATE INDEX import_organisations_import ON import_organisations (import_id);
