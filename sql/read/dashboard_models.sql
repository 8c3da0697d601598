-- Every model in rank_history across all boards: one row per model with its newest display name and
-- organisation, the number of boards it appeared on and its newest as-of date, by display name.
SELECT model, arg_max(display_name, as_of) AS display_name, arg_max(organization, as_of) AS organization,
       count(DISTINCT (arena, category, style_control)) AS boards, max(as_of) AS last_as_of
FROM rank_history
GROUP BY model
ORDER BY lower(arg_max(display_name, as_of)), model;
