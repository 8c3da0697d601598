-- board_as_of(leaderboard, arena, category, style_control, at) and board_as_of(arena, category, style_control, at):
-- the whole board as it stood on `at` (board_as_of_on, 0420). Without a leaderboard the board is LMArena's, as
-- every query written before there were other leaderboards means it.
CREATE OR REPLACE MACRO board_as_of(leaderboard, arena, category, style_control, "at") AS TABLE
    (FROM board_as_of_on(leaderboard, arena, category, style_control, "at")),
    (arena, category, style_control, "at") AS TABLE
    (FROM board_as_of_on('LMArena', arena, category, style_control, "at"));
