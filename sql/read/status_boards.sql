-- One row per board: snapshots stored (all sources), sources, first and newest as-of date.
SELECT arena, category, style_control,
       count(*) AS snapshots,
       string_agg(DISTINCT source, ', ' ORDER BY source) AS sources,
       min(CAST(timezone('UTC', as_of) AS DATE)) AS first_as_of,
       max(CAST(timezone('UTC', as_of) AS DATE)) AS newest_as_of
FROM snapshots
GROUP BY ALL
ORDER BY arena, category, style_control;
