-- Whether the writer's identity tables resolve anything differently from the read copy being updated
-- (publish_copy): one row, true when a source key maps to another model, a model's display name or
-- organisation changed, an organisation spelling maps elsewhere or an organisation was renamed.
SELECT
    EXISTS (SELECT alias, model_key FROM model_aliases EXCEPT SELECT alias, model_key FROM publish_copy.model_aliases)
    OR EXISTS (SELECT alias, model_key FROM publish_copy.model_aliases EXCEPT SELECT alias, model_key FROM model_aliases)
    OR EXISTS (SELECT model_key, display_name, org_key FROM models
               EXCEPT SELECT model_key, display_name, org_key FROM publish_copy.models)
    OR EXISTS (SELECT model_key, display_name, org_key FROM publish_copy.models
               EXCEPT SELECT model_key, display_name, org_key FROM models)
    OR EXISTS (SELECT alias, org_key FROM org_aliases EXCEPT SELECT alias, org_key FROM publish_copy.org_aliases)
    OR EXISTS (SELECT alias, org_key FROM publish_copy.org_aliases EXCEPT SELECT alias, org_key FROM org_aliases)
    OR EXISTS (FROM organizations EXCEPT FROM publish_copy.organizations)
    OR EXISTS (FROM publish_copy.organizations EXCEPT FROM organizations) AS changed;
