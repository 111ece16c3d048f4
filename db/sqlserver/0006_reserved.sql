-- Placeholder on branch issue-19 only: the migrator needs 1..n without gaps and 0006 belongs to another
-- branch. Delete this file when merging (0007_data_protection_keys.sql then follows the real 0006).
SELECT 1;
