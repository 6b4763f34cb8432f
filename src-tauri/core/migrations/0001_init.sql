-- Schema version 1: projects, organisations, partners, events, people, consents, attendance, imports.
-- Every table has a row id for joins and a `uid` (UUID v7) that stays the same when databases of partner
-- organisations are merged. Columns ending in `_key` are folded copies (see text::fold) kept by the core
-- for matching and search; they are never shown.

CREATE TABLE projects (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    code        TEXT,
    donor       TEXT,
    start_date  TEXT CHECK (start_date IS NULL OR date(start_date) = start_date),
    end_date    TEXT CHECK (end_date IS NULL OR date(end_date) = end_date),
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('planned', 'active', 'closed')),
    description TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CHECK (start_date IS NULL OR end_date IS NULL OR start_date <= end_date)
);

CREATE TABLE organisations (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    short_name  TEXT,
    country     TEXT CHECK (country IS NULL OR (length(country) = 2 AND country = upper(country))),
    kind        TEXT NOT NULL DEFAULT 'ngo'
                CHECK (kind IN ('ngo', 'foundation', 'donor', 'government', 'media', 'informal_group', 'other')),
    website     TEXT,
    notes       TEXT NOT NULL DEFAULT '',
    name_key    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX organisations_name_key ON organisations (name_key);

CREATE TABLE project_partners (
    id              INTEGER PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,
    project_id      INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    role            TEXT NOT NULL CHECK (role IN ('lead', 'partner', 'supporter', 'funder', 'associate')),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (project_id, organisation_id)
);
CREATE INDEX project_partners_organisation ON project_partners (organisation_id);

CREATE TABLE events (
    id               INTEGER PRIMARY KEY,
    uid              TEXT NOT NULL UNIQUE,
    project_id       INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    title            TEXT NOT NULL CHECK (length(trim(title)) > 0),
    kind             TEXT NOT NULL DEFAULT 'webinar'
                     CHECK (kind IN ('webinar', 'conference', 'training', 'meeting', 'contest', 'other')),
    -- Local wall-clock start as announced ("2021-02-06T18:00") and its IANA zone ("Europe/Moscow");
    -- starts_utc is derived from both, for sorting and date-range reports.
    starts_at        TEXT NOT NULL,
    timezone         TEXT NOT NULL,
    starts_utc       TEXT NOT NULL,
    duration_minutes INTEGER CHECK (duration_minutes IS NULL OR duration_minutes > 0),
    platform         TEXT,
    link             TEXT,
    recording_link   TEXT,
    language         TEXT,
    notes            TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX events_project_start ON events (project_id, starts_utc);
CREATE INDEX events_start ON events (starts_utc);

CREATE TABLE people (
    id              INTEGER PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,
    full_name       TEXT NOT NULL CHECK (length(trim(full_name)) > 0),
    email           TEXT,
    organisation_id INTEGER REFERENCES organisations (id) ON DELETE SET NULL,
    country         TEXT CHECK (country IS NULL OR (length(country) = 2 AND country = upper(country))),
    gender          TEXT,
    notes           TEXT NOT NULL DEFAULT '',
    -- Folded copies for matching (email_key: trimmed, lower-case; name_key: see text::fold) and for
    -- substring search (search_key: name and email, indexed by people_fts).
    email_key       TEXT,
    name_key        TEXT NOT NULL,
    search_key      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX people_email_key ON people (email_key) WHERE email_key IS NOT NULL;
CREATE INDEX people_name_key ON people (name_key);
CREATE INDEX people_organisation ON people (organisation_id);

-- Substring search in any script: trigram FTS over the folded search_key, kept in step by triggers.
-- secure-delete makes FTS forget the tokens of a deleted row at once (people can be erased).
CREATE VIRTUAL TABLE people_fts USING fts5 (search_key, content = 'people', content_rowid = 'id', tokenize = 'trigram');
INSERT INTO people_fts (people_fts, rank) VALUES ('secure-delete', 1);
CREATE TRIGGER people_fts_insert AFTER INSERT ON people BEGIN
    INSERT INTO people_fts (rowid, search_key) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER people_fts_delete AFTER DELETE ON people BEGIN
    INSERT INTO people_fts (people_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER people_fts_update AFTER UPDATE OF search_key ON people BEGIN
    INSERT INTO people_fts (people_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key);
    INSERT INTO people_fts (rowid, search_key) VALUES (new.id, new.search_key);
END;

-- Consent to hold a person's data: when, for what, how it was given, and when it was withdrawn.
CREATE TABLE consents (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE,
    person_id    INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    purpose      TEXT NOT NULL CHECK (length(trim(purpose)) > 0),
    given_on     TEXT NOT NULL CHECK (date(given_on) = given_on),
    method       TEXT,
    withdrawn_on TEXT CHECK (withdrawn_on IS NULL OR date(withdrawn_on) = withdrawn_on),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX consents_person ON consents (person_id);

-- One row per file imported into an event, kept so an import can be listed and undone as a whole.
CREATE TABLE imports (
    id                  INTEGER PRIMARY KEY,
    uid                 TEXT NOT NULL UNIQUE,
    event_id            INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    file_name           TEXT NOT NULL,
    file_sha256         TEXT NOT NULL,
    format              TEXT NOT NULL,
    rows_read           INTEGER NOT NULL DEFAULT 0,
    people_created      INTEGER NOT NULL DEFAULT 0,
    people_matched      INTEGER NOT NULL DEFAULT 0,
    attendances_created INTEGER NOT NULL DEFAULT 0,
    attendances_updated INTEGER NOT NULL DEFAULT 0,
    undone_at           TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX imports_event ON imports (event_id);

CREATE TABLE attendance (
    id         INTEGER PRIMARY KEY,
    uid        TEXT NOT NULL UNIQUE,
    event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    role       TEXT NOT NULL DEFAULT 'participant' CHECK (role IN ('participant', 'speaker', 'moderator', 'organiser')),
    status     TEXT NOT NULL DEFAULT 'attended' CHECK (status IN ('registered', 'attended', 'absent', 'cancelled')),
    minutes    INTEGER CHECK (minutes IS NULL OR minutes >= 0),
    first_join TEXT,
    last_leave TEXT,
    source     TEXT NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'import')),
    import_id  INTEGER REFERENCES imports (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (event_id, person_id)
);
CREATE INDEX attendance_person ON attendance (person_id);
CREATE INDEX attendance_import ON attendance (import_id) WHERE import_id IS NOT NULL;

-- Small key/value settings kept with the data (e.g. the secret behind pseudonymous codes).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
