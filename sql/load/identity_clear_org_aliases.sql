-- Seeded and learned organisation spellings are rebuilt on every refresh; the user's (kind 'user') stay.
DELETE FROM org_aliases WHERE kind IS DISTINCT FROM 'user';
