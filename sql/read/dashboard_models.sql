-- Every model in rank_history across all boards: one row per model with its newest display name and
-- organisation, the number of boards it appeared on and its newest as-of date, by display name. From
-- model_spans (one row per model and board, stored in the read copy).
SELECT model, arg_max(display_name, last_as_of) AS display_name, arg_max(organization, last_as_of) AS organization,
       count(*) AS boards, max(last_as_of) AS last_as_of
FROM model_spans
GROUP BY model
ORDER BY lower(arg_max(display_name, last_as_of)), model;
