-- Schema migration for reports (indexes for fast aggregate reports). Reserved; filled by the work on that feature.
SELECT 1;
