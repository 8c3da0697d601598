-- crowns: one row per reign at #1 on every board (crowns_for with null arguments; columns and rules in
-- 0460_crowns_for.sql): board, rank_basis, model, display_name, organization, reign_start, last_held,
-- reign_end, days, snapshots, shared, co_holders, current.
CREATE OR REPLACE VIEW crowns AS
FROM crowns_for(NULL, NULL, NULL, NULL);
