-- The console's figures (regional overview, tenant dashboard, an outage's live figures) count affected rows by
-- contact and outcome per outage (and office). With only ix_affected_outage (outage_id, start_utc) every counted
-- row is read from the table; this index holds every column those statements read, so they scan the index alone.
-- Measured: the overview's figures over 100,000 affected rows, see docs/performance.md (issue 18).
CREATE INDEX ix_affected_figures ON affected_bookings (outage_id, office_id, contact, outcome);
