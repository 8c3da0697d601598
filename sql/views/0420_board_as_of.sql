-- board_as_of_on(leaderboard, arena, category, style_control, at): table macro behind board_as_of (0421); the whole board as it stood at `at` (a
-- DATE, TIMESTAMP or 'YYYY-MM-DD'; null = now): the rank_history rows of the board's newest complete as-of
-- date (board_dates: partial snapshots are skipped) on or before that day, one row per model (same columns as rank_history). No rows before the board's first date.
-- It lives in sql/views/ because a DuckDB table macro binds its tables when created (after rank_history).
-- Inside a macro a bare name means the parameter unless two relations in scope have such a column, so the
-- parameters are read in a FROM-less CTE, other relations' columns are renamed, and every column is
-- qualified ("at" is quoted because AT is an SQL keyword).
CREATE OR REPLACE MACRO board_as_of_on(leaderboard, arena, category, style_control, at) AS TABLE
WITH wanted AS (
    SELECT leaderboard AS w_leaderboard, arena AS w_arena, category AS w_category, style_control AS w_style_control,
           coalesce(CAST("at" AS DATE), DATE '9999-12-31') AS w_at
)
SELECT h.*
FROM rank_history AS h
-- the board as constants and the date as a scalar subquery (not a join), so the filters reach the scan
WHERE h.leaderboard = leaderboard AND h.arena = arena AND h.category = category AND h.style_control = style_control
  AND h.as_of = (
      SELECT max(d.as_of)
      FROM board_dates AS d
      JOIN wanted AS w
          ON d.leaderboard = w.w_leaderboard AND d.arena = w.w_arena AND d.category = w.w_category AND d.style_control = w.w_style_control
         AND d.as_of <= w.w_at AND NOT d.partial
  );
