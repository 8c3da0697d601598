-- model_spans: one row per model and board it appeared on, every board (model_spans_for with null
-- arguments): first_as_of, last_as_of, appearances, display_name, organization (its newest there).
CREATE OR REPLACE VIEW model_spans AS
FROM model_spans_for(NULL, NULL, NULL, NULL);
