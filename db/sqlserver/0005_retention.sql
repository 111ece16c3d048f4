-- DSGVO retention: when a booking's personal data (name, phone, email) was removed; the row and its
-- anonymous figures stay.
ALTER TABLE dbo.bookings ADD anonymized_at datetime2(7) NULL;
