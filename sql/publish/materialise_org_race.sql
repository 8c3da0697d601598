-- The read copy carries org_race (each organisation's best rank per board and date) as a table: the view
-- groups a board's whole history before a date filter can apply. Computed from the copy's own ranked,
-- under a temporary name that store.publish renames over the copied view. Sorted by board, date and rank.
CREATE TABLE publish_copy.org_race_table AS
FROM publish_copy.org_race
ORDER BY arena, category, style_control, as_of, best_rank, organization;
