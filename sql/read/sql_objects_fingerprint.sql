-- The fingerprint of the macros and views the writer's database holds (null before the first writer open
-- that recorded one): a writer recreates them when it differs from its own SQL's.
SELECT max(fingerprint) FROM sql_objects;
