-- Before `tracker alias remove`: one row, true when $name is an alias, a canonical model key, or a key or
-- display name some source published (stored standings or sightings); false means a typo.
SELECT EXISTS (FROM model_aliases WHERE alias = $name)
    OR EXISTS (FROM models WHERE model_key = $name)
    OR EXISTS (FROM identity_observations WHERE model_key = $name)
    OR EXISTS (FROM model_sightings WHERE model_key = $name) AS known;
