-- Before events.sql adds the events dated after $after to the board $arena / $category / $style_control
-- (events_since.sql): the board's exit rows of the models listed again after $after. A model's exit
-- follows its last appearance, so one listed again has none until it leaves again; every other event dated
-- on or before $after stays as it is.
DELETE FROM publish_copy.events
WHERE leaderboard = $leaderboard AND arena = $arena AND category = $category AND style_control = $style_control
  AND kind = 'exit'
  AND model IN (
      SELECT r.model
      FROM publish_copy.ranked AS r
      WHERE r.leaderboard = $leaderboard AND r.arena = $arena AND r.category = $category AND r.style_control = $style_control
        AND NOT r.partial AND r.as_of > $after
  )
