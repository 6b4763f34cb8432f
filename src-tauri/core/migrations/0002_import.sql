-- Schema migration for import (undo journal, remembered column mappings). Reserved; filled by the work on that feature.
SELECT 1;
