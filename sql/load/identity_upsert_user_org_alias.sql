-- A user organisation override (kind 'user'): this spelling means this organisation. Returns the spelling.
INSERT INTO org_aliases (alias, org_key, kind)
VALUES ($alias, $org_key, 'user')
ON CONFLICT (alias) DO UPDATE SET org_key = excluded.org_key, kind = 'user'
RETURNING alias;
