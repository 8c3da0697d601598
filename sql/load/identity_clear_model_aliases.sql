-- Seeded and learned model aliases are rebuilt on every refresh; the user's (kind 'user') stay.
DELETE FROM model_aliases WHERE kind IS DISTINCT FROM 'user';
