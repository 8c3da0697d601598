-- One row per alias whose alias or model matches $pattern (ILIKE with backslash escapes; NULL lists all):
-- the alias, the canonical model it resolves to, its kind (user | rename | display_name | key | learned) and
-- note. User rows first, then by model.
SELECT alias, model_key AS model, kind, note
FROM model_aliases
WHERE $pattern IS NULL OR alias ILIKE $pattern ESCAPE '\' OR model_key ILIKE $pattern ESCAPE '\'
ORDER BY kind <> 'user', model_key, alias;
