-- Schema migration for data safety and privacy (backups, erasure, retention). Reserved; filled by the work on that feature.
SELECT 1;
