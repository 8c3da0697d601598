-- Before an incremental publish recomputes dates of the board $arena / $category / $style_control that are not
-- all after its others ($dates: a late page, or a snapshot that now wins a published date): the read copy's
-- rows of those dates, put back by ranked.sql. The board's other rows stay; update_ranked_context.sql and
-- update_ranked_prev.sql bring their board context and previous appearances up to date.
DELETE FROM publish_copy.ranked
WHERE leaderboard = $leaderboard AND arena = $arena AND category = $category AND style_control = $style_control
  AND list_contains($dates, as_of);
