-- A user override (kind 'user'): alias -> model_key merges, alias -> itself splits. Returns the alias.
INSERT INTO model_aliases (alias, model_key, kind, note)
VALUES ($alias, $model_key, 'user', $note)
ON CONFLICT (alias) DO UPDATE SET model_key = excluded.model_key, kind = 'user', note = excluded.note
RETURNING alias;
