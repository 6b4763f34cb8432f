-- Schema version 8: the import at the speed of the disk (issue 18). A row whose name ends in a bracket
-- ("Olena Koval (Promo-LEX)") is checked against the organisations by name and by short name; without an
-- index on the short name that was a scan of every organisation for every such row (10% of a 100,000-row
-- import into a database of 2,000 organisations). The name has its index (organisations_name_key).
CREATE INDEX organisations_short_name ON organisations (lower(short_name)) WHERE short_name IS NOT NULL;

-- A person's count of events attended (shown for each candidate of an ambiguous import row, and in the
-- people list) read every attendance row of the person for its status: about ten random reads in a
-- million-row table per person, most of a 60-row webinar import's time when its names are common. With
-- the status in the index the count is read from the index alone; the index serves everything the old
-- one did (person_id is its first column), so an insert maintains no more indexes than before.
DROP INDEX attendance_person;
CREATE INDEX attendance_person ON attendance (person_id, status);
