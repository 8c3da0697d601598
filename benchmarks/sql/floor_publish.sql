-- The full-publish floor, after a copy of the writer's database file: one CREATE TABLE AS materialising
-- rank_history's rows (alias resolution, source precedence, the dedupe window) into the attached copy
-- (floor_copy), nothing else (no board context, previous appearances, order or derived tables).
-- No rows come back.
CREATE TABLE floor_copy.floor AS SELECT * FROM rank_history;
