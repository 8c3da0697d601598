-- events: events_with(10, 10): the event stream with the default thresholds (top 10; moves of 10 or
-- more places). One row per event: event_date, board, kind, model, other_model, ranks, significant, sentence.
CREATE OR REPLACE VIEW events AS
FROM events_with(10, 10);
