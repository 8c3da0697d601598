-- Before events.sql adds the events dated after events_since.sql's `after` to the board $arena / $category
-- / $style_control: the board's exit rows of the models $models listed again after it (its `listed_after`).
-- A model's exit follows its last appearance, so one listed again has none until it leaves again; every
-- other event dated on or before `after` stays as it is.
DELETE FROM publish_copy.events
WHERE leaderboard = $leaderboard AND arena = $arena AND category = $category AND style_control = $style_control
  AND kind = 'exit' AND list_contains(CAST($models AS VARCHAR[]), model)
