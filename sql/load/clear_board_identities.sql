-- Reparse starts from nothing derived: the boards' keys and spellings go with the standings they came from
-- (each load adds its own back, sql/load/observe_board_identities.sql).
DELETE FROM board_identities;
