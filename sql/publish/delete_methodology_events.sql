-- At every incremental publish: the read copy's methodology rows of the event stream, put back next by
-- methodology_events.sql from the methodology_events table copied whole just before.
DELETE FROM publish_copy.events
WHERE kind = 'methodology';
