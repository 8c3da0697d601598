-- Drop a user organisation override so seeds and data decide again; returns the spelling when there was one.
DELETE FROM org_aliases WHERE alias = $alias AND kind = 'user' RETURNING alias;
