-- latest: every rank_history row of each board's newest complete snapshot (board_dates.is_newest; a
-- partial snapshot is not a board's state): one row per board and model listed on that date (same
-- columns as rank_history).
CREATE OR REPLACE VIEW latest AS
SELECT h.*
FROM rank_history AS h
SEMI JOIN board_dates AS d
    ON d.leaderboard = h.leaderboard AND d.arena = h.arena AND d.category = h.category AND d.style_control = h.style_control
   AND d.as_of = h.as_of AND d.is_newest;
