-- The board ($arena, $category, $style_control) as it stood on $at: one row per model of the board's newest
-- date on or before $at (a partial snapshot only when $at is that date), with its ranks, rating and CI, votes, organisation and license; the ordinal rank
-- change (positive = rose) since the board's previous date (board_dates.prev_as_of) and since the board as it
-- stood 7 and 30 days before $at (its newest complete date on or before then, as board_as_of picks it; null when the
-- model was not on that board; `is_new`: not on the previous date); rank_trend: the model's negated ordinal
-- rank on every board date from $start to $at (negated so a rise points up in a sparkline). With $show_gone,
-- the models seen on this board before but absent from that date follow, with gone = true, their last ranks
-- and last_seen date. Ranks come from `ranked` (on a partial snapshot: the published rank in its meaning);
-- the board's rows are read once (not once per compared date).
WITH
    board AS MATERIALIZED (
        SELECT as_of, model, display_name, organization, license, rating, rating_lower, rating_upper, votes,
               rank_ordinal, rank_ub, rank_lb
        FROM ranked
        WHERE leaderboard = $leaderboard AND arena = $arena AND category = $category AND style_control = $style_control AND as_of <= $at
    ),
    dates AS (
        SELECT as_of, prev_as_of, partial
        FROM board_dates
        WHERE leaderboard = $leaderboard AND arena = $arena AND category = $category AND style_control = $style_control AND as_of <= $at
    ),
    ref AS (
        SELECT max(as_of) AS at_date,
               arg_max(prev_as_of, as_of) AS prev_date,
               max(as_of) FILTER (WHERE as_of <= CAST($at AS DATE) - 7 AND NOT partial) AS week_date,
               max(as_of) FILTER (WHERE as_of <= CAST($at AS DATE) - 30 AND NOT partial) AS month_date
        FROM dates
    ),
    trend AS (
        SELECT model, list(-rank_ordinal ORDER BY as_of) AS rank_trend
        FROM board
        WHERE as_of >= $start AND rank_ordinal IS NOT NULL
        GROUP BY model
    ),
    cur AS (SELECT b.* FROM board AS b, ref WHERE b.as_of = ref.at_date),
    listed AS (
        SELECT c.rank_ordinal, c.rank_ub, c.rank_lb, c.display_name, c.model,
               p.rank_ordinal - c.rank_ordinal AS change_prev,
               w.rank_ordinal - c.rank_ordinal AS change_7d,
               m.rank_ordinal - c.rank_ordinal AS change_30d,
               ref.prev_date IS NOT NULL AND p.model IS NULL AS is_new,
               c.rating, c.rating_lower, c.rating_upper, c.votes, c.organization, c.license,
               t.rank_trend, false AS gone, c.as_of AS last_seen
        FROM cur AS c
        CROSS JOIN ref
        LEFT JOIN board AS p ON p.model = c.model AND p.as_of = ref.prev_date
        LEFT JOIN board AS w ON w.model = c.model AND w.as_of = ref.week_date
        LEFT JOIN board AS m ON m.model = c.model AND m.as_of = ref.month_date
        LEFT JOIN trend AS t ON t.model = c.model
    ),
    departed AS (
        SELECT b.rank_ordinal, b.rank_ub, b.rank_lb, b.display_name, b.model,
               NULL::INTEGER AS change_prev, NULL::INTEGER AS change_7d, NULL::INTEGER AS change_30d,
               false AS is_new,
               b.rating, b.rating_lower, b.rating_upper, b.votes, b.organization, b.license,
               t.rank_trend, true AS gone, b.as_of AS last_seen
        FROM board AS b
        LEFT JOIN trend AS t ON t.model = b.model
        WHERE $show_gone AND b.model NOT IN (SELECT model FROM cur)
        QUALIFY row_number() OVER (PARTITION BY b.model ORDER BY b.as_of DESC) = 1
    )
SELECT * FROM listed
UNION ALL
SELECT * FROM departed
ORDER BY gone, rank_ordinal, last_seen DESC, display_name;
