-- One row when the name is an alias: the model it resolves to and the alias kind; no row otherwise.
SELECT model_key, kind FROM model_aliases WHERE alias = $alias;
