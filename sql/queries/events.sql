-- The event stream: one row per event (new #1, top-N entry and exit, debut, exit, rank move, significant overtake, methodology change) with its date, board, models and a sentence, oldest first.
-- $since DATE = null: only events on or after this date
-- $until DATE >= $since = null: only events on or before this date
-- $leaderboard VARCHAR = null: only this leaderboard (default: every leaderboard; e.g. aa)
-- $arena VARCHAR = null: only this arena (methodology events for every board are kept)
-- $category VARCHAR = null: only this category (methodology events for every board are kept)
-- $style_control BOOLEAN = null: only style-controlled (true) or raw (false) boards
-- $model VARCHAR = null: only events about this model (as either model)
-- $kind VARCHAR in (new_leader, top_n_entry, top_n_exit, debut, exit, rank_move, overtake, methodology) = null: only this kind of event
-- $top_n INTEGER >= 1 = 10: the top-N threshold for entries, exits and overtakes
-- $min_move INTEGER >= 1 = 10: the smallest rank move reported
SELECT event_date, board_label(leaderboard, arena, category, style_control) AS board, kind, model, other_model,
       rank_before, rank_after, significant, sentence
FROM (
    -- the default thresholds are the stored stream (the read copy's events table, the events view
    -- elsewhere); others are computed, for the asked board only (events_for keeps every methodology row)
    FROM events
    WHERE $top_n = 10 AND $min_move = 10
    UNION ALL BY NAME
    FROM events_for($top_n, $min_move, CAST($leaderboard AS VARCHAR), CAST($arena AS VARCHAR),
                    CAST($category AS VARCHAR), CAST($style_control AS BOOLEAN))
    WHERE NOT ($top_n = 10 AND $min_move = 10)
)
WHERE (CAST($since AS DATE) IS NULL OR event_date >= $since)
  AND (CAST($until AS DATE) IS NULL OR event_date <= $until)
  AND (CAST($leaderboard AS VARCHAR) IS NULL OR leaderboard IS NULL OR leaderboard = $leaderboard)
  AND (CAST($arena AS VARCHAR) IS NULL OR arena IS NULL OR arena = $arena)
  AND (CAST($category AS VARCHAR) IS NULL OR category IS NULL OR category = $category)
  AND (CAST($style_control AS BOOLEAN) IS NULL OR style_control IS NULL OR style_control = $style_control)
  AND (CAST($model AS VARCHAR) IS NULL OR lower(trim($model)) IN (model, other_model))
  AND (CAST($kind AS VARCHAR) IS NULL OR kind = $kind)
ORDER BY event_date, board NULLS FIRST, kind, model;
