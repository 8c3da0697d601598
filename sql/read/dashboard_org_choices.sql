-- The organisations the "Across leaderboards" page offers: one row per organisation with ranked models, with
-- how many leaderboards, boards and models it has (those on most leaderboards first).
SELECT organization,
       count(DISTINCT leaderboard) AS leaderboards,
       count(DISTINCT (leaderboard, arena, category, style_control)) AS boards,
       count(DISTINCT model) AS models
FROM model_spans
WHERE organization IS NOT NULL
GROUP BY organization
ORDER BY leaderboards DESC, boards DESC, organization;
