-- For the board $arena / $category / $style_control whose new dates $dates all come after the read copy's
-- others (appends_only.sql), once its ranked rows and board context include them: which of its events an
-- incremental publish computes. after: the board's newest complete date before the new dates; the events
-- dated on or before it stay as the copy holds them, but for the exits of the models in `listed_after`
-- (those with a complete row after it: delete_relisted_exits.sql), and events.sql adds those dated after
-- it. from_date: the first date those need rows of, `after` itself or the last complete appearance up to it
-- of a model listed again after it (events_for's from_date). Null after (no complete date before the new
-- ones): the board is recomputed.
WITH kept AS (
    SELECT max(d.as_of) AS after
    FROM publish_copy.board_dates AS d
    WHERE d.leaderboard = $leaderboard AND d.arena = $arena AND d.category = $category AND d.style_control = $style_control
      AND NOT d.partial AND d.as_of < list_min($dates)
),
models AS (
    SELECT r.model, max(r.as_of) FILTER (WHERE r.as_of <= kept.after) AS last_kept, bool_or(r.as_of > kept.after) AS listed_after
    FROM publish_copy.ranked AS r, kept
    WHERE r.leaderboard = $leaderboard AND r.arena = $arena AND r.category = $category AND r.style_control = $style_control
      AND NOT r.partial
    GROUP BY r.model
)
SELECT kept.after, least(kept.after, back.first_kept) AS from_date, coalesce(back.models, []) AS listed_after
FROM kept, (SELECT min(m.last_kept) AS first_kept, list(m.model) AS models FROM models AS m WHERE m.listed_after) AS back
