-- Every model key with history, for "did you mean" when a name matches none (tracker model).
SELECT DISTINCT model FROM model_spans ORDER BY model;
