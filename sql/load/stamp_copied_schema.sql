-- A new database started from a copy of an empty schema this process built (tracker.store.migrations): its
-- migrations and macros and views were applied $now, as far as anyone reading the database can tell.
-- $now TIMESTAMPTZ: when the new database was created
UPDATE schema_migrations SET applied_at = $now;
