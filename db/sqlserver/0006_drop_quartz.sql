-- The worker moved from Quartz.NET to Hangfire (Hangfire keeps its own tables in the HangFire schema, which it
-- creates at start-up). Quartz's clustered store is dropped: children before the tables they reference.
-- IF EXISTS: a database that never ran a worker on SQL Server has none of them.
DROP TABLE IF EXISTS dbo.QRTZ_FIRED_TRIGGERS;
DROP TABLE IF EXISTS dbo.QRTZ_PAUSED_TRIGGER_GRPS;
DROP TABLE IF EXISTS dbo.QRTZ_SCHEDULER_STATE;
DROP TABLE IF EXISTS dbo.QRTZ_LOCKS;
DROP TABLE IF EXISTS dbo.QRTZ_SIMPLE_TRIGGERS;
DROP TABLE IF EXISTS dbo.QRTZ_SIMPROP_TRIGGERS;
DROP TABLE IF EXISTS dbo.QRTZ_CRON_TRIGGERS;
DROP TABLE IF EXISTS dbo.QRTZ_BLOB_TRIGGERS;
DROP TABLE IF EXISTS dbo.QRTZ_TRIGGERS;
DROP TABLE IF EXISTS dbo.QRTZ_JOB_DETAILS;
DROP TABLE IF EXISTS dbo.QRTZ_CALENDARS;
