-- org_race: one row per organisation, board and as-of date on every board (org_race_for with null arguments;
-- columns in 0470_org_race_for.sql): best rank, best rank (UB), best model, best rating, top10, top10_ub,
-- models, next_as_of.
CREATE OR REPLACE VIEW org_race AS
FROM org_race_for(NULL, NULL, NULL, NULL);
