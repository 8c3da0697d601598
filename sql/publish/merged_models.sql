-- The models more than one source key can resolve to: each the target of an alias from another key
-- (model_aliases). Only their rows can share a board, date and model in rank_history_rows (validation keeps a
-- source key to one row per snapshot), so ranked.sql runs rank_history's dedupe window for them alone.
-- One row per model.
SELECT DISTINCT model_key AS model
FROM model_aliases
WHERE alias <> model_key
ORDER BY model;
