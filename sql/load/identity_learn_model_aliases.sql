-- Learned display-name aliases: a keyed source shows display name D for key K, so D means K's model
-- (through the seeded and user aliases of K). Kept only when D names one canonical model, D is not itself a
-- key some keyed source publishes (then D is that model's own key), and neither the seeds nor the user
-- already say what D means.
INSERT INTO model_aliases (alias, model_key, kind, note)
WITH pairs AS (
    SELECT lower(trim(o.display_name)) AS alias,
           coalesce(a.model_key, o.model_key) AS target
    FROM identity_observed AS o
    LEFT JOIN model_aliases AS a ON a.alias = o.model_key
    WHERE o.keyed
      AND o.display_name IS NOT NULL
      AND lower(trim(o.display_name)) <> o.model_key
),
real_keys AS (
    SELECT DISTINCT model_key FROM identity_observed WHERE keyed
)
SELECT alias, any_value(target), 'learned', 'display name of ' || any_value(target) || ' in keyed sources'
FROM pairs
WHERE alias <> ''
  AND alias NOT IN (SELECT alias FROM model_aliases)
  AND alias NOT IN (SELECT model_key FROM real_keys)
GROUP BY alias
HAVING count(DISTINCT target) = 1;
