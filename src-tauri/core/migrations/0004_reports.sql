-- Schema migration for reports (indexes for fast aggregate reports). Reports count only attendance with
-- status 'attended'. A project summary or donor table over a million attendance records must take under
-- a tenth of a second, which is less than SQLite needs merely to step through a million index entries,
-- so each event's attended list is kept packed in one blob (report_rosters), and the attributes of all
-- people in another (report_people); both are caches, rebuilt on demand.

-- What the reports read of an attended record, in one covering index: rebuilding an event's roster and
-- per-event counts never touch the table rows.
CREATE INDEX attendance_attended ON attendance (event_id, person_id, role, minutes) WHERE status = 'attended';

-- The person attributes reports group by (organisation, country, gender), covering, so a report reads
-- them for 100,000 people without touching names or emails.
CREATE INDEX people_report ON people (organisation_id, country, gender);

-- One event's attended records, packed (see reports::roster for the format). A cache only: a row is
-- deleted by the triggers below whenever an attended record of the event is added, changed or removed (a
-- roster holds only attended records, so other statuses need not touch it), and deleting the event
-- deletes it; reports rebuild missing rows from attendance_attended. It holds row ids and numbers, never
-- names.
CREATE TABLE report_rosters (
    event_id INTEGER PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    attended INTEGER NOT NULL,
    data     BLOB NOT NULL
);
CREATE TRIGGER report_rosters_attendance_insert AFTER INSERT ON attendance
WHEN new.status = 'attended' BEGIN
    DELETE FROM report_rosters WHERE event_id = new.event_id;
END;
CREATE TRIGGER report_rosters_attendance_update AFTER UPDATE OF event_id, person_id, role, status, minutes ON attendance
WHEN old.status = 'attended' OR new.status = 'attended' BEGIN
    DELETE FROM report_rosters WHERE event_id IN (old.event_id, new.event_id);
END;
CREATE TRIGGER report_rosters_attendance_delete AFTER DELETE ON attendance
WHEN old.status = 'attended' BEGIN
    DELETE FROM report_rosters WHERE event_id = old.event_id;
END;

-- The organisation, country and gender of every person, packed in one blob (see reports::attributes), so
-- a report does not step through 100,000 people each time. A cache like report_rosters: deleted whenever
-- a person is added or deleted or one of these attributes changes, rebuilt by the next report.
CREATE TABLE report_people (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    data BLOB NOT NULL
);
CREATE TRIGGER report_people_insert AFTER INSERT ON people BEGIN
    DELETE FROM report_people;
END;
CREATE TRIGGER report_people_update AFTER UPDATE OF id, organisation_id, country, gender ON people BEGIN
    DELETE FROM report_people;
END;
CREATE TRIGGER report_people_delete AFTER DELETE ON people BEGIN
    DELETE FROM report_people;
END;
