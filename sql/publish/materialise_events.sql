-- The read copy carries the default event stream (events_with(10, 10)) as a table: the stream is built
-- from windows over the whole history and cannot take a board or model filter below them, so it is
-- computed once per publish, from the copy's own ranked (the history table), under a temporary name that
-- store.publish renames over the copied view. Sorted by board and date.
CREATE TABLE publish_copy.events_table AS
FROM publish_copy.events
ORDER BY arena, category, style_control, event_date, kind, model;
