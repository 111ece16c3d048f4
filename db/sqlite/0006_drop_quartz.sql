-- Nothing to do on SQLite: Quartz ran in memory here and left no tables. This file keeps the numbering the
-- same on both providers (on SQL Server 0006 drops Quartz's QRTZ_* tables).
SELECT 1;
