-- The read copy carries rank_history as a table, computed once per publish instead of on every read
-- (alias resolution, source precedence and the dedupe window cost 5-50x a plain scan). Views built on
-- rank_history resolve to it by name. Sorted by board, then model and date, so DuckDB's zone maps skip
-- most row groups for a board filter and for a model filter alike.
CREATE TABLE publish_copy.rank_history AS
SELECT * FROM rank_history
ORDER BY arena, category, style_control, model, as_of;
