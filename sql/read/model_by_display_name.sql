-- The models whose rows show exactly the display name $name (case-insensitive), for `tracker model NAME`:
-- one row per model, most recently shown first.
SELECT model FROM rank_history
WHERE lower(trim(display_name)) = lower(trim($name))
GROUP BY model
ORDER BY max(as_of) DESC, model;
