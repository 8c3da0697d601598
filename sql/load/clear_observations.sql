-- Reparse starts from nothing derived: the identity observations go with the standings they came from
-- (each load adds its own back, sql/load/observe_identity.sql).
DELETE FROM identity_observations;
