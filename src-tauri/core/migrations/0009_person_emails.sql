-- Schema version 9: a person's other email addresses (issue #19). When a coordinator decides that a
-- report's row with email E is an existing person whose email is another, E is kept here, so the next
-- report with E matches that person by email without asking again. Merging two people keeps the dropped
-- record's email here too. The addresses are personal data: they go with the person (erasure deletes
-- them, and the foreign key cascades for any other deletion), are part of the person's data download,
-- and never leave the database in a bundle (partners match by their own decisions).
CREATE TABLE person_emails (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,
    person_id   INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    email       TEXT NOT NULL,
    -- The matching key (trimmed, lower case), as people.email_key: one person per address.
    email_key   TEXT NOT NULL UNIQUE,
    -- Where it came from: 'import' (a decision in an import review) or 'merge'.
    source      TEXT NOT NULL CHECK (source IN ('import', 'merge')),
    -- The import whose decision kept it: undoing that import forgets it.
    import_id   INTEGER REFERENCES imports (id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX person_emails_person ON person_emails (person_id);
CREATE INDEX person_emails_import ON person_emails (import_id);
