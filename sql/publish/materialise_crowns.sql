-- The read copy carries crowns (every reign at #1) as a table: the view's gaps-and-islands windows run over
-- every #1 of every board. Computed from the copy's own ranked (so from the history table), under a
-- temporary name that store.publish renames over the copied view. Sorted by board and reign.
CREATE TABLE publish_copy.crowns_table AS
FROM publish_copy.crowns
ORDER BY arena, category, style_control, rank_basis, reign_start, model;
