-- Schema version 7: donor-grade figures (issue #15). Gender as categories (with the words a person gave
-- kept beside them), year of birth or an age band, participant type, disability (special-category data,
-- stored only under a recorded consent), the place of in-person events, registrations kept apart from
-- attendance, per-project age bands and participant types, and project indicators with targets.
--
-- The conversion of existing genders to categories needs text::fold (case- and accent-blind matching in
-- every script), which SQL does not have: db::migrate runs gender::convert_existing in this migration's
-- transaction right after this file, so the version is recorded only once every value is converted.

-- people.gender now holds a category code: woman, man, non_binary, self_described, prefers_not_to_say;
-- NULL is "not stated". gender_text keeps the words as given (the self-described text, or the spelling an
-- import or the migration mapped), so no answer is ever lost and a wrong mapping can be reviewed.
ALTER TABLE people ADD COLUMN gender_text TEXT;
ALTER TABLE people ADD COLUMN birth_year INTEGER CHECK (birth_year IS NULL OR birth_year BETWEEN 1900 AND 2100);
-- An age band as known when the year of birth is not ("25-34", "65+").
ALTER TABLE people ADD COLUMN age_band TEXT;
-- A key of the project's participant types ("journalist"); one per person, whatever the project.
ALTER TABLE people ADD COLUMN participant_type TEXT;

-- Spellings of gender mapped by a coordinator ("needs review" screen, `person gender-map`), on top of the
-- built-in table in gender.rs; key is text::fold of the spelling. Later imports use them too.
CREATE TABLE gender_spellings (
    spelling_key TEXT PRIMARY KEY,
    category     TEXT NOT NULL CHECK (category IN ('woman', 'man', 'non_binary', 'self_described', 'prefers_not_to_say', 'not_stated')),
    created_at   TEXT NOT NULL
) WITHOUT ROWID;

-- Disability (special-category data, GDPR Art. 9): the Washington Group short set (six domains, one of
-- four answers each) or a plain answer. A row exists only under an open consent of the person for
-- 'disability data' (consent_id); withdrawing or deleting that consent deletes the row (triggers below,
-- ON DELETE CASCADE), and so does erasing the person. Never logged.
CREATE TABLE person_disability (
    person_id     INTEGER PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    consent_id    INTEGER NOT NULL REFERENCES consents (id) ON DELETE CASCADE,
    seeing        TEXT CHECK (seeing IN ('no_difficulty', 'some_difficulty', 'a_lot_of_difficulty', 'cannot_do_at_all')),
    hearing       TEXT CHECK (hearing IN ('no_difficulty', 'some_difficulty', 'a_lot_of_difficulty', 'cannot_do_at_all')),
    walking       TEXT CHECK (walking IN ('no_difficulty', 'some_difficulty', 'a_lot_of_difficulty', 'cannot_do_at_all')),
    remembering   TEXT CHECK (remembering IN ('no_difficulty', 'some_difficulty', 'a_lot_of_difficulty', 'cannot_do_at_all')),
    self_care     TEXT CHECK (self_care IN ('no_difficulty', 'some_difficulty', 'a_lot_of_difficulty', 'cannot_do_at_all')),
    communicating TEXT CHECK (communicating IN ('no_difficulty', 'some_difficulty', 'a_lot_of_difficulty', 'cannot_do_at_all')),
    answer        TEXT CHECK (answer IN ('yes', 'no', 'prefers_not_to_say')),
    updated_at    TEXT NOT NULL,
    CHECK (answer IS NOT NULL OR coalesce(seeing, hearing, walking, remembering, self_care, communicating) IS NOT NULL)
);
CREATE INDEX person_disability_consent ON person_disability (consent_id);
CREATE TRIGGER person_disability_consent_withdrawn AFTER UPDATE OF withdrawn_on ON consents
WHEN new.withdrawn_on IS NOT NULL BEGIN
    DELETE FROM person_disability WHERE consent_id = new.id;
END;

-- The place of in-person events.
ALTER TABLE events ADD COLUMN city TEXT;
ALTER TABLE events ADD COLUMN country TEXT CHECK (country IS NULL OR (length(country) = 2 AND country = upper(country)));

-- (The triggers test NOT EXISTS rather than INSERT OR IGNORE: a trigger's conflict clause gives way to
-- that of the statement firing it, so an import's upsert would turn a duplicate into an error.)
-- Who registered for an event, kept apart from the attendance status (which an attendance report moves
-- on from 'registered' to 'attended'), so no-shows and walk-ins can be counted. Filled by the trigger below
-- for every record written as registered, and by imports of registration lists for people already
-- recorded as attended. import_id: the import that recorded it (undoing that import removes it).
CREATE TABLE registrations (
    event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    import_id  INTEGER REFERENCES imports (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (event_id, person_id)
) WITHOUT ROWID;
CREATE INDEX registrations_person ON registrations (person_id);
CREATE INDEX registrations_import ON registrations (import_id) WHERE import_id IS NOT NULL;
INSERT INTO registrations (event_id, person_id, import_id, created_at)
SELECT event_id, person_id, import_id, created_at FROM attendance WHERE status = 'registered';
CREATE TRIGGER registrations_attendance_insert AFTER INSERT ON attendance
WHEN new.status = 'registered' BEGIN
    INSERT INTO registrations (event_id, person_id, import_id, created_at)
    SELECT new.event_id, new.person_id, new.import_id, new.created_at
     WHERE NOT EXISTS (SELECT 1 FROM registrations WHERE event_id = new.event_id AND person_id = new.person_id);
END;
CREATE TRIGGER registrations_attendance_update AFTER UPDATE OF status ON attendance
WHEN new.status = 'registered' BEGIN
    INSERT INTO registrations (event_id, person_id, import_id, created_at)
    SELECT new.event_id, new.person_id, new.import_id, new.updated_at
     WHERE NOT EXISTS (SELECT 1 FROM registrations WHERE event_id = new.event_id AND person_id = new.person_id);
END;
-- A record deleted (an undone import, a deleted attendance, an erased person) takes its registration with
-- it: a registration belongs to the person's record at the event.
CREATE TRIGGER registrations_attendance_delete AFTER DELETE ON attendance BEGIN
    DELETE FROM registrations WHERE event_id = old.event_id AND person_id = old.person_id;
END;

-- Each project's age bands (ages in whole years, max NULL for "and over") and participant types, in
-- order. A project without rows uses the defaults of the issue (see projects::DEFAULT_AGE_BANDS).
CREATE TABLE project_age_bands (
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    min_age    INTEGER NOT NULL CHECK (min_age >= 0),
    max_age    INTEGER CHECK (max_age IS NULL OR max_age >= min_age),
    PRIMARY KEY (project_id, position)
) WITHOUT ROWID;
CREATE TABLE project_participant_types (
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    key        TEXT NOT NULL,
    label      TEXT NOT NULL,
    PRIMARY KEY (project_id, position),
    UNIQUE (project_id, key)
) WITHOUT ROWID;

-- Project indicators: what is counted (measure), an optional filter on one dimension of the donor table
-- (or, with share = 1, the filtered people as a percentage of all unique people), baseline and target.
CREATE TABLE indicators (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE,
    project_id   INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name         TEXT NOT NULL CHECK (length(trim(name)) > 0),
    measure      TEXT NOT NULL CHECK (measure IN ('unique_people', 'attendances', 'events', 'people_min_events', 'people_min_minutes')),
    threshold    INTEGER CHECK (threshold IS NULL OR threshold > 0),
    filter_dim   TEXT,
    filter_value TEXT,
    share        INTEGER NOT NULL DEFAULT 0 CHECK (share IN (0, 1)),
    baseline     REAL,
    target       REAL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CHECK ((filter_dim IS NULL) = (filter_value IS NULL)),
    CHECK (share = 0 OR filter_dim IS NOT NULL)
);
CREATE INDEX indicators_project ON indicators (project_id);

-- The report cache of people's attributes now also holds year of birth, age band, participant type and
-- disability: a change to any of them deletes it, like a change of gender. The old blob (format 1) is
-- dropped here; the next report rebuilds it in format 2.
DELETE FROM report_people;
CREATE TRIGGER report_people_update_donor AFTER UPDATE OF gender_text, birth_year, age_band, participant_type ON people BEGIN
    DELETE FROM report_people;
END;
CREATE TRIGGER report_people_disability_insert AFTER INSERT ON person_disability BEGIN
    DELETE FROM report_people;
END;
CREATE TRIGGER report_people_disability_update AFTER UPDATE ON person_disability BEGIN
    DELETE FROM report_people;
END;
CREATE TRIGGER report_people_disability_delete AFTER DELETE ON person_disability BEGIN
    DELETE FROM report_people;
END;
-- The organisation kind is a dimension too; it lives in organisations, read at report time (no cache).

-- Partners' bundles: a change of the new person fields is a change of the person.
CREATE TRIGGER site_changes_person_update_donor AFTER UPDATE OF gender_text, birth_year, age_band, participant_type ON people BEGIN
    INSERT INTO site_changes (entity, key, version) VALUES ('person', new.id, (SELECT version FROM site_clock))
    ON CONFLICT (entity, key) DO UPDATE SET version = excluded.version WHERE version <> excluded.version;
END;
