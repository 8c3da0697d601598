-- The read copy carries the default event stream (events_with(10, 10)) as a table: the stream is built
-- from windows over the whole history and cannot take a board or model filter below them (seconds at
-- 1.7 M rows), so it is computed once per publish, after rank_history is a table. Sorted by board and date.
CREATE TABLE publish_copy.events AS
SELECT * FROM events
ORDER BY arena, category, style_control, event_date, kind, model;
