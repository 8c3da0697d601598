-- Seeded organisations from seeds/organizations.csv (registered as seed_organizations); keys lower case.
INSERT INTO organizations (org_key, display_name, kind)
SELECT lower(org_key), any_value(display_name), 'seed'
FROM seed_organizations
GROUP BY lower(org_key);
