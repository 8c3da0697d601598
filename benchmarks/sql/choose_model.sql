-- The model with the longest history on one board (most as-of dates; ties by key): one row with the
-- canonical model and the source key it is stored under (harness: picks the model to ask about).
-- $arena VARCHAR: the arena
-- $category VARCHAR: the category
-- $style_control BOOLEAN: style-controlled board (true) or raw (false)
SELECT model, any_value(source_key) AS source_key, count(*) AS dates
FROM rank_history
WHERE arena = $arena AND category = $category AND style_control = $style_control
GROUP BY model
ORDER BY dates DESC, model
LIMIT 1;
