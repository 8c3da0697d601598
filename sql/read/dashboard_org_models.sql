-- The models of one organisation ($organization) on one board ($arena, $category, $style_control): one row
-- per model with its newest appearance (date, ordinal rank, rating, votes; ranks from `ranked`), best rank
-- first; `listed` says whether it is on the board's newest complete snapshot.
WITH newest AS (
    SELECT max(as_of) AS board_newest
    FROM board_dates
    WHERE leaderboard = $leaderboard AND arena = $arena AND category = $category AND style_control = $style_control AND NOT partial
)
SELECT model, arg_max(display_name, as_of) AS display_name,
       max(as_of) AS last_seen, arg_max(rank_ordinal, as_of) AS latest_rank,
       min(rank_ordinal) AS best_rank, arg_max(rating, as_of) AS latest_rating, arg_max(votes, as_of) AS latest_votes,
       max(as_of) = any_value(newest.board_newest) AS listed
FROM ranked, newest
WHERE leaderboard = $leaderboard AND arena = $arena AND category = $category AND style_control = $style_control
  AND organization = $organization
GROUP BY model
ORDER BY listed DESC, latest_rank NULLS LAST, display_name;
