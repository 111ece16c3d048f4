-- The console's figures (regional overview, tenant dashboard, an outage's live figures) count affected rows by
-- contact and outcome per outage (and office). This index covers those statements, so they read it alone instead
-- of the table's rows. Measured on SQLite, see docs/performance.md (issue 18).
CREATE INDEX ix_affected_figures ON dbo.affected_bookings (outage_id, office_id) INCLUDE (contact, outcome);
