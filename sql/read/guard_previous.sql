-- For each board of a payload about to be stored (relation guard_boards: leaderboard, arena, category, style_control,
-- as_of), the previous snapshot of the same board from the same source ($source): the newest one with an as-of
-- at or before the new one. Returns its as-of, its number of models and how many of its rows had each guarded
-- field, one row per new board and as-of. Boards with no previous snapshot return no row.
WITH previous AS (
    SELECT b.leaderboard, b.arena, b.category, b.style_control, b.as_of, s.snapshot_id, s.as_of AS previous_as_of, s.row_count
    FROM guard_boards AS b
    JOIN snapshots AS s
      ON s.source = $source
     AND s.leaderboard = b.leaderboard AND s.arena = b.arena
     AND s.category = b.category
     AND s.style_control = b.style_control
     AND s.as_of <= b.as_of
    QUALIFY row_number() OVER (
        PARTITION BY b.leaderboard, b.arena, b.category, b.style_control, b.as_of ORDER BY s.as_of DESC, s.snapshot_id DESC
    ) = 1
)
SELECT p.leaderboard, p.arena, p.category, p.style_control, p.as_of,
       any_value(p.previous_as_of) AS previous_as_of,
       any_value(p.row_count) AS previous_models,
       count(st.display_name) AS had_display_name,
       count(st.rating_lower) AS had_rating_lower,
       count(st.rating_upper) AS had_rating_upper,
       count(st.votes) AS had_votes,
       count(st.organization) AS had_organization
FROM previous AS p
JOIN standings AS st USING (snapshot_id)
GROUP BY p.leaderboard, p.arena, p.category, p.style_control, p.as_of
ORDER BY p.leaderboard, p.arena, p.category, p.style_control, p.as_of;
