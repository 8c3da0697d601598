-- list_alerts: the $limit most recent alerts, newest first: when confirmed, kind, board, headline, the watches
-- that matched, and each target's delivery status ('hook: sent', 'slack: pending (2 attempts)').
SELECT
    a.confirmed_as_of,
    a.event_date,
    a.kind,
    CASE WHEN a.arena IS NOT NULL AND a.category IS NOT NULL AND a.style_control IS NOT NULL
         THEN board_label(a.leaderboard, a.arena, a.category, a.style_control) ELSE 'every board' END AS board,
    alert_title(a.kind, a.leaderboard, a.arena, a.category, a.style_control, a.display_name, a.other_display_name,
                a.rank_before, a.rank_after, a.top_n) AS title,
    (SELECT string_agg(m.watch, ', ' ORDER BY m.watch) FROM alert_matches AS m WHERE m.event_key = a.event_key)
        AS watches,
    (SELECT string_agg(d.target || ': ' || d.status
                       || CASE WHEN d.status <> 'sent' AND d.attempts > 0
                               THEN ' (' || d.attempts || ' attempt' || CASE WHEN d.attempts > 1 THEN 's' ELSE '' END || ')'
                               ELSE '' END,
                       ', ' ORDER BY d.target)
     FROM alert_deliveries AS d WHERE d.event_key = a.event_key) AS deliveries,
    a.event_key
FROM alerts AS a
ORDER BY a.detected_at DESC, a.confirmed_as_of DESC, a.event_date DESC, a.kind, a.model
LIMIT $limit;
