-- board_label(arena, category, style_control): a board's name for sentences and chart titles, e.g.
-- 'text/overall (raw)' or 'text/overall (style control)'; one VARCHAR per call.
CREATE OR REPLACE MACRO board_label(arena, category, style_control) AS
    arena || '/' || category || CASE WHEN style_control THEN ' (style control)' ELSE ' (raw)' END;
