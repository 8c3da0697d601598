-- One row per model and organisation the views show (model_spans): what a misspelt model or organisation
-- parameter of a named query is compared with.
SELECT DISTINCT model, organization FROM model_spans;
