-- The identity tables as this evaluation of the watches saw them, in place of what the last one saw
-- (migrations/0190_alert_seen_identity.sql): the columns sql/publish/identity_boards.sql compares. Run in
-- the transaction that records the evaluation (set_evaluation.sql), when the identity changed since.
DELETE FROM alert_seen_model_aliases;
INSERT INTO alert_seen_model_aliases SELECT alias, model_key FROM model_aliases;
DELETE FROM alert_seen_models;
INSERT INTO alert_seen_models SELECT model_key, display_name, org_key FROM models;
DELETE FROM alert_seen_org_aliases;
INSERT INTO alert_seen_org_aliases SELECT alias, org_key FROM org_aliases;
DELETE FROM alert_seen_organizations;
INSERT INTO alert_seen_organizations SELECT org_key, display_name FROM organizations;
