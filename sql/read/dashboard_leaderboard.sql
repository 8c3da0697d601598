-- The board ($arena, $category, $style_control) as it stood on $at (board_as_of): one row per model of
-- the newest snapshot on or before $at, with its ranks, rating and CI, votes, organisation and license;
-- the ordinal rank change (positive = rose) since the board's previous date (board_dates.prev_as_of) and
-- since the board as it stood 7 and 30 days before $at (null when the model was not on that board;
-- `is_new`: not on the previous date); rank_trend: the model's negated ordinal rank on every board date
-- from $start to $at (negated so a rise points up in a sparkline). With $show_gone, the models seen on
-- this board before but absent from that snapshot follow, with gone = true, their last ranks and
-- last_seen date.
WITH
    cur AS (FROM board_as_of($arena, $category, $style_control, $at)),
    prev_date AS (
        SELECT d.prev_as_of
        FROM board_dates AS d
        WHERE d.arena = $arena AND d.category = $category AND d.style_control = $style_control
          AND d.as_of = (SELECT max(as_of) FROM cur)
    ),
    prev AS (
        FROM board_as_of($arena, $category, $style_control, (SELECT prev_as_of FROM prev_date))
        WHERE (SELECT prev_as_of FROM prev_date) IS NOT NULL
    ),
    week AS (FROM board_as_of($arena, $category, $style_control, CAST($at AS DATE) - 7)),
    month AS (FROM board_as_of($arena, $category, $style_control, CAST($at AS DATE) - 30)),
    board AS (
        SELECT as_of, model, display_name, organization, license, rating, rating_lower, rating_upper, votes,
               rank_ordinal, rank_ub, rank_lb
        FROM rank_history
        WHERE arena = $arena AND category = $category AND style_control = $style_control AND as_of <= $at
    ),
    trend AS (
        SELECT model, list(-rank_ordinal ORDER BY as_of) AS rank_trend
        FROM board
        WHERE as_of >= $start
        GROUP BY model
    ),
    listed AS (
        SELECT c.rank_ordinal, c.rank_ub, c.rank_lb, c.display_name, c.model,
               p.rank_ordinal - c.rank_ordinal AS change_prev,
               w.rank_ordinal - c.rank_ordinal AS change_7d,
               m.rank_ordinal - c.rank_ordinal AS change_30d,
               (SELECT prev_as_of FROM prev_date) IS NOT NULL AND p.model IS NULL AS is_new,
               c.rating, c.rating_lower, c.rating_upper, c.votes, c.organization, c.license,
               t.rank_trend, false AS gone, c.as_of AS last_seen
        FROM cur AS c
        LEFT JOIN prev AS p ON p.model = c.model
        LEFT JOIN week AS w ON w.model = c.model
        LEFT JOIN month AS m ON m.model = c.model
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
