-- The read copy carries board_dates as a table (one row per board and as-of date): the view aggregates
-- every standing and windows over chosen_snapshots on each read (~200 ms at 15 M standings), and `ranked`
-- (so every analytics view), the sidebar's board list and board_as_of read it. Computed once per publish
-- from the writer's view, before the tables built on it. Sorted by board and date.
CREATE TABLE publish_copy.board_dates AS
SELECT * FROM board_dates
ORDER BY arena, category, style_control, as_of;
