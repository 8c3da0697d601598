-- Models whose key or display name contains a text: one row per model (display name, organisation, boards, first and last date seen), most boards first, at most 50.
-- $pattern VARCHAR: part of a model key or display name (case-insensitive), e.g. mai
-- The text is matched as written (contains, not LIKE: a % or _ in it is that character), and the display name
-- and organisation are the newest the model was listed under.
SELECT model, arg_max(display_name, as_of) AS display_name, arg_max(organization, as_of) AS organization,
       count(DISTINCT (leaderboard, arena, category, style_control)) AS boards,
       min(as_of) AS first_seen, max(as_of) AS last_seen
FROM rank_history
WHERE contains(lower(model), lower(trim($pattern))) OR contains(lower(display_name), lower(trim($pattern)))
GROUP BY model
ORDER BY boards DESC, last_seen DESC, model
LIMIT 50;
