-- alert_title(kind, leaderboard, arena, category, style_control, name, other_name, rank_before, rank_after, top_n): the
-- short headline of an alert (notifications, webhook titles), e.g. 'New #1 on text/overall (raw): b';
-- one VARCHAR per call. The full sentence comes from the `events` stream.
CREATE OR REPLACE MACRO alert_title(kind, leaderboard, arena, category, style_control, name, other_name, rank_before, rank_after, top_n) AS
    CASE kind
        WHEN 'new_leader' THEN 'New #1 on ' || board_label(leaderboard, arena, category, style_control) || ': ' || name
        WHEN 'top_n_entry' THEN name || ' enters the top ' || top_n || ' on ' || board_label(leaderboard, arena, category, style_control)
        WHEN 'top_n_exit' THEN name || ' leaves the top ' || top_n || ' on ' || board_label(leaderboard, arena, category, style_control)
        WHEN 'rank_move' THEN name || CASE WHEN rank_after < rank_before THEN ' rises' ELSE ' falls' END
            || ' #' || rank_before || ' -> #' || rank_after || ' on ' || board_label(leaderboard, arena, category, style_control)
        WHEN 'overtake' THEN name || ' overtakes ' || other_name || ' on ' || board_label(leaderboard, arena, category, style_control)
        WHEN 'debut' THEN name || ' debuts at #' || rank_after || ' on ' || board_label(leaderboard, arena, category, style_control)
        WHEN 'exit' THEN name || ' leaves ' || board_label(leaderboard, arena, category, style_control)
        WHEN 'methodology' THEN 'Methodology change'
            || coalesce(' on ' || arena || coalesce('/' || category, ''), ' (every board)')
        ELSE kind
    END;
