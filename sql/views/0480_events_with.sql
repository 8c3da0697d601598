-- events_with(top_n, min_move): table macro; the event stream of every board (events_for with null board
-- arguments; kinds, columns and rules in 0479_events_for.sql).
CREATE OR REPLACE MACRO events_with(top_n, min_move) AS TABLE
FROM events_for(top_n, min_move, NULL, NULL, NULL, NULL);
