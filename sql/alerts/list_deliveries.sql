-- list_deliveries: the $limit most recent delivery attempts (the delivery log), newest first: when, target,
-- attempt number, outcome (sent | retry | failed), HTTP status, milliseconds, the alert's headline, the error.
SELECT
    l.attempted_at,
    l.target,
    l.attempt,
    l.outcome,
    l.http_status,
    round(l.duration_ms) AS ms,
    alert_title(a.kind, a.leaderboard, a.arena, a.category, a.style_control, a.display_name, a.other_display_name,
                a.rank_before, a.rank_after, a.top_n) AS title,
    l.error
FROM alert_delivery_log AS l
LEFT JOIN alerts AS a ON a.event_key = l.event_key
ORDER BY l.attempt_id DESC
LIMIT $limit;
