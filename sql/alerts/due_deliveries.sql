-- due_deliveries: pending deliveries whose next attempt is due at $now (at most $limit), oldest event first
-- so that a target receives alerts in order, none to a target that is backing off, with what a webhook body needs: the alert's fields, its
-- headline (alert_title), board label and the watches that matched it.
SELECT
    d.event_key, d.target, d.attempts,
    a.kind, a.event_date, a.confirmed_as_of, a.leaderboard, a.arena, a.category, a.style_control,
    a.model, a.display_name, a.other_model, a.other_display_name, a.rank_before, a.rank_after, a.top_n,
    a.significant, a.sentence, a.detected_at,
    CASE WHEN a.arena IS NOT NULL AND a.category IS NOT NULL AND a.style_control IS NOT NULL
         THEN board_label(a.leaderboard, a.arena, a.category, a.style_control) END AS board,
    alert_title(a.kind, a.leaderboard, a.arena, a.category, a.style_control, a.display_name, a.other_display_name,
                a.rank_before, a.rank_after, a.top_n) AS title,
    (SELECT list(m.watch ORDER BY m.watch) FROM alert_matches AS m WHERE m.event_key = d.event_key) AS watches
FROM alert_deliveries AS d
JOIN alerts AS a ON a.event_key = d.event_key
WHERE d.status = 'pending' AND d.next_attempt_at <= $now
  -- a target backing off after a failure gets nothing until its failed delivery is due again (keeps order)
  AND NOT EXISTS (
      SELECT 1 FROM alert_deliveries AS b
      WHERE b.target = d.target AND b.status = 'pending' AND b.attempts > 0 AND b.next_attempt_at > $now
  )
ORDER BY a.confirmed_as_of, a.event_date, a.leaderboard NULLS FIRST, a.arena NULLS FIRST, a.category NULLS FIRST, a.style_control NULLS FIRST,
    a.kind, coalesce(a.rank_after, a.rank_before), a.model, d.event_key, d.target
LIMIT $limit;
