-- Every alias and canonical model key, one row each, for "did you mean" when `tracker alias remove` meets a typo.
SELECT alias AS name FROM model_aliases
UNION
SELECT model_key FROM models
ORDER BY name;
