-- The user's merges into a model (`tracker alias add ALIAS $model`), for `tracker model`: one row per alias, by alias.
SELECT alias FROM model_aliases WHERE model_key = $model AND kind = 'user' AND alias <> model_key ORDER BY alias;
