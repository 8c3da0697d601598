-- Drop a user override so seeds and data decide again; returns the alias when there was one.
DELETE FROM model_aliases WHERE alias = $alias AND kind = 'user' RETURNING alias;
