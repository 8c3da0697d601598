-- movers(leaderboard, arena, category, style_control, from_date, to_date) and movers(arena, category,
-- style_control, from_date, to_date): risers, fallers, entrants and leavers between two dates (movers_on,
-- 0440). Without a leaderboard the board is LMArena's, as every query written before there were other
-- leaderboards means it.
CREATE OR REPLACE MACRO movers(leaderboard, arena, category, style_control, from_date, to_date) AS TABLE
    (FROM movers_on(leaderboard, arena, category, style_control, from_date, to_date)),
    (arena, category, style_control, from_date, to_date) AS TABLE
    (FROM movers_on('LMArena', arena, category, style_control, from_date, to_date));
