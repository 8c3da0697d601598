-- Seeded model aliases from seeds/model_aliases.csv (renames such as gpt-4 -> gpt-4-0314, known display
-- names); an alias the user mapped or split keeps the user's row.
INSERT INTO model_aliases (alias, model_key, kind, note)
SELECT lower(alias), any_value(lower(model_key)), any_value(coalesce(kind, 'rename')), any_value(note)
FROM seed_model_aliases
WHERE lower(alias) <> lower(model_key)
  AND lower(alias) NOT IN (SELECT alias FROM model_aliases)
GROUP BY lower(alias);
