-- Organisations are rebuilt on every refresh (from seeds, then from the data); nothing else is kept in them.
DELETE FROM organizations;
