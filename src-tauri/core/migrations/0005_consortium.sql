-- Schema version 5: partner organisations exchange encrypted, signed bundles (see consortium/). This
-- installation's keys, the partners it trusts, who ran each event, what changed since the last bundle (as
-- per-site version numbers, never wall clocks: laptops' clocks are wrong), other uids a local row is known
-- by, and the history of bundles sent and applied.

-- This installation ("site"): its uid and keys. One row, created on first use. The secret keys live here so
-- they are encrypted at rest whenever the database is (SQLCipher); they never leave the database.
CREATE TABLE site_identity (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    site_uid        TEXT NOT NULL,
    -- Which of our organisations this installation speaks for (its name is on our partner card).
    organisation_id INTEGER REFERENCES organisations (id) ON DELETE SET NULL,
    age_secret      TEXT NOT NULL,
    age_recipient   TEXT NOT NULL,
    sign_secret     BLOB NOT NULL CHECK (length(sign_secret) = 32),
    sign_public     BLOB NOT NULL CHECK (length(sign_public) = 32),
    fingerprint     TEXT NOT NULL,
    created_at      TEXT NOT NULL
);

-- Trusted partner installations, from their cards, each linked to one of our organisations. A removed card
-- keeps its row (removed_at) so the history still names it and its bundles are refused by name.
CREATE TABLE contacts (
    id              INTEGER PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,
    site_uid        TEXT NOT NULL,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    age_recipient   TEXT NOT NULL,
    sign_public     BLOB NOT NULL CHECK (length(sign_public) = 32),
    fingerprint     TEXT NOT NULL UNIQUE,
    removed_at      TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX contacts_site ON contacts (site_uid);

-- The partner organisation that ran an event; origin_site is the site that owns the event (NULL: this
-- installation). A receiver changes another site's events only through that site's bundles.
ALTER TABLE events ADD COLUMN organiser_id INTEGER REFERENCES organisations (id) ON DELETE SET NULL;
ALTER TABLE events ADD COLUMN origin_site TEXT;
CREATE INDEX events_organiser ON events (organiser_id) WHERE organiser_id IS NOT NULL;

-- This site's clock: every change is stamped with the current value; each bundle export moves it on, so
-- everything changed after a bundle has a higher version than anything in it.
CREATE TABLE site_clock (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL CHECK (version > 0)
);
INSERT INTO site_clock (id, version) VALUES (1, 1);

-- The version at which a row last changed here, by kind: 'event' (key: event id; any change to its
-- attendance counts as a change of the event, which travels with its whole attendance list), 'person' and
-- 'organisation' (key: row id; only updates are tracked, a row never changed has version 0), 'erasure'
-- (key: the erased uid). Only the current version is kept, so this holds one small row per changed record.
CREATE TABLE site_changes (
    entity  TEXT NOT NULL,
    key     TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (entity, key)
) WITHOUT ROWID;

CREATE TRIGGER site_changes_event_insert AFTER INSERT ON events BEGIN
    INSERT INTO site_changes (entity, key, version) VALUES ('event', new.id, (SELECT version FROM site_clock))
    ON CONFLICT (entity, key) DO UPDATE SET version = excluded.version WHERE version <> excluded.version;
END;
CREATE TRIGGER site_changes_event_update AFTER UPDATE ON events BEGIN
    INSERT INTO site_changes (entity, key, version) VALUES ('event', new.id, (SELECT version FROM site_clock))
    ON CONFLICT (entity, key) DO UPDATE SET version = excluded.version WHERE version <> excluded.version;
END;
CREATE TRIGGER site_changes_attendance_insert AFTER INSERT ON attendance BEGIN
    INSERT INTO site_changes (entity, key, version) VALUES ('event', new.event_id, (SELECT version FROM site_clock))
    ON CONFLICT (entity, key) DO UPDATE SET version = excluded.version WHERE version <> excluded.version;
END;
CREATE TRIGGER site_changes_attendance_update AFTER UPDATE ON attendance BEGIN
    INSERT INTO site_changes (entity, key, version) VALUES ('event', new.event_id, (SELECT version FROM site_clock))
    ON CONFLICT (entity, key) DO UPDATE SET version = excluded.version WHERE version <> excluded.version;
    INSERT INTO site_changes (entity, key, version) VALUES ('event', old.event_id, (SELECT version FROM site_clock))
    ON CONFLICT (entity, key) DO UPDATE SET version = excluded.version WHERE version <> excluded.version;
END;
CREATE TRIGGER site_changes_attendance_delete AFTER DELETE ON attendance BEGIN
    INSERT INTO site_changes (entity, key, version) VALUES ('event', old.event_id, (SELECT version FROM site_clock))
    ON CONFLICT (entity, key) DO UPDATE SET version = excluded.version WHERE version <> excluded.version;
END;
CREATE TRIGGER site_changes_person_update AFTER UPDATE OF full_name, email, organisation_id, country, gender ON people BEGIN
    INSERT INTO site_changes (entity, key, version) VALUES ('person', new.id, (SELECT version FROM site_clock))
    ON CONFLICT (entity, key) DO UPDATE SET version = excluded.version WHERE version <> excluded.version;
END;
CREATE TRIGGER site_changes_consent_insert AFTER INSERT ON consents BEGIN
    INSERT INTO site_changes (entity, key, version) VALUES ('person', new.person_id, (SELECT version FROM site_clock))
    ON CONFLICT (entity, key) DO UPDATE SET version = excluded.version WHERE version <> excluded.version;
END;
CREATE TRIGGER site_changes_consent_update AFTER UPDATE ON consents BEGIN
    INSERT INTO site_changes (entity, key, version) VALUES ('person', new.person_id, (SELECT version FROM site_clock))
    ON CONFLICT (entity, key) DO UPDATE SET version = excluded.version WHERE version <> excluded.version;
END;
CREATE TRIGGER site_changes_organisation_update AFTER UPDATE OF name, short_name, country, kind ON organisations BEGIN
    INSERT INTO site_changes (entity, key, version) VALUES ('organisation', new.id, (SELECT version FROM site_clock))
    ON CONFLICT (entity, key) DO UPDATE SET version = excluded.version WHERE version <> excluded.version;
END;
CREATE TRIGGER site_changes_erasure_insert AFTER INSERT ON erasures BEGIN
    INSERT INTO site_changes (entity, key, version) VALUES ('erasure', new.uid, (SELECT version FROM site_clock))
    ON CONFLICT (entity, key) DO NOTHING;
END;

-- Other uids a local row is known by: a partner's uid matched to a local person by email or name or by a
-- coordinator's decision, or the uid of a person merged into another. A later bundle naming that uid lands
-- on the local row, so nobody is asked about twice.
CREATE TABLE person_aliases (
    uid       TEXT PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX person_aliases_person ON person_aliases (person_id);
CREATE TABLE organisation_aliases (
    uid             TEXT PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE project_aliases (
    uid        TEXT PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE
) WITHOUT ROWID;

-- The highest version of a row applied from each site: a row is applied only if the bundle's version is
-- higher, so applying a bundle again, or an older one after a newer one, changes nothing.
CREATE TABLE sync_versions (
    site_uid TEXT NOT NULL,
    entity   TEXT NOT NULL,
    uid      TEXT NOT NULL,
    version  INTEGER NOT NULL,
    PRIMARY KEY (site_uid, entity, uid)
) WITHOUT ROWID;

-- The version up to which each partner has been sent a project's changes (for "since the last bundle").
CREATE TABLE contact_exports (
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    PRIMARY KEY (contact_id, project_id)
) WITHOUT ROWID;

-- Pseudonymous codes this site has sent, by the person's local uid, so an erasure can later be sent as the
-- code the partner knows (the person's name and email are gone by then). A code is a keyed hash: it names
-- nobody without the consortium key and a guess.
CREATE TABLE sent_pseudonyms (
    person_uid TEXT PRIMARY KEY,
    code_uid   TEXT NOT NULL
) WITHOUT ROWID;

-- Bundles sent and applied, with their figures (never names).
CREATE TABLE bundles (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL,
    direction    TEXT NOT NULL CHECK (direction IN ('sent', 'applied')),
    -- The partner it came from (applied), or the partners it went to (sent: JSON array of contact ids).
    contact_id   INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
    recipients   TEXT NOT NULL DEFAULT '[]',
    site_uid     TEXT NOT NULL,
    project_id   INTEGER REFERENCES projects (id) ON DELETE SET NULL,
    sequence     INTEGER NOT NULL,
    since        INTEGER NOT NULL,
    pseudonymous INTEGER NOT NULL DEFAULT 0,
    file_name    TEXT NOT NULL,
    file_sha256  TEXT NOT NULL,
    events       INTEGER NOT NULL DEFAULT 0,
    attendances  INTEGER NOT NULL DEFAULT 0,
    people       INTEGER NOT NULL DEFAULT 0,
    erasures     INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    UNIQUE (uid, direction)
);
