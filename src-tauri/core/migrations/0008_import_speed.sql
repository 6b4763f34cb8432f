-- Schema version 8: the import at the speed of the disk (issue 18). A row whose name ends in a bracket
-- ("Olena Koval (Promo-LEX)") is checked against the organisations by name and by short name; without an
-- index on the short name that was a scan of every organisation for every such row (10% of a 100,000-row
-- import into a database of 2,000 organisations). The name has its index (organisations_name_key).
CREATE INDEX organisations_short_name ON organisations (lower(short_name)) WHERE short_name IS NOT NULL;
