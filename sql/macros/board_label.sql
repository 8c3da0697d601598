-- board_label(leaderboard, arena, category, style_control): a board's name for sentences and chart titles, e.g.
-- 'text/overall (raw)' or 'text/overall (style control)' on LMArena (the default leaderboard, as in
-- tracker/boards.py, whose board_label writes the same), 'Artificial Analysis · text_to_speech/overall (raw)'
-- on another; one VARCHAR per call. board_label(arena, category, style_control) names an LMArena board.
CREATE OR REPLACE MACRO board_label(leaderboard, arena, category, style_control) AS
    CASE WHEN leaderboard = 'LMArena' THEN '' ELSE leaderboard || ' · ' END
        || arena || '/' || category || CASE WHEN style_control THEN ' (style control)' ELSE ' (raw)' END,
    (arena, category, style_control) AS
    arena || '/' || category || CASE WHEN style_control THEN ' (style control)' ELSE ' (raw)' END;
