-- One row when $alias is a known organisation spelling: the organisation key it maps to; no row otherwise.
SELECT org_key FROM org_aliases WHERE alias = $alias;
