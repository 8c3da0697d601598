-- Every name a model parameter of a named query may be given in, lower case: each alias the identity tables
-- know (a renamed key, a display name) with the canonical model the views show. Small (one row per alias):
-- tracker.named_queries reads it once per read copy.
SELECT alias AS name, model_key AS canonical FROM model_aliases;
