-- DSGVO retention: when a booking's personal data (name, phone, email) was removed; the row and its
-- anonymous figures stay.
ALTER TABLE bookings ADD COLUMN anonymized_at TEXT NULL;
