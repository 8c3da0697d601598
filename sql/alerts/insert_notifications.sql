-- insert_notifications: one dashboard notification per alert matched by a new match (registered
-- `alert_new_matches`) that has none yet, in event order, with its headline and the watches it matched.
-- Returns the new notification ids.
INSERT INTO notifications (event_key, created_at, event_date, kind, board, title, sentence, watches)
SELECT
    a.event_key, $now, a.event_date, a.kind,
    CASE WHEN a.arena IS NOT NULL AND a.category IS NOT NULL AND a.style_control IS NOT NULL
         THEN board_label(a.leaderboard, a.arena, a.category, a.style_control) END,
    alert_title(a.kind, a.leaderboard, a.arena, a.category, a.style_control, a.display_name, a.other_display_name,
                a.rank_before, a.rank_after, a.top_n),
    a.sentence,
    (SELECT list(m.watch ORDER BY m.watch) FROM alert_matches AS m WHERE m.event_key = a.event_key)
FROM alerts AS a
SEMI JOIN alert_new_matches AS n ON n.event_key = a.event_key
ANTI JOIN notifications AS x ON x.event_key = a.event_key
ORDER BY a.confirmed_as_of, a.event_date, a.leaderboard NULLS FIRST, a.arena NULLS FIRST, a.category NULLS FIRST, a.style_control NULLS FIRST,
    a.kind, coalesce(a.rank_after, a.rank_before), a.model, a.event_key
RETURNING notification_id;
