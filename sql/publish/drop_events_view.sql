-- In the read copy events becomes a table (materialise_events.sql): drop the copied view first.
DROP VIEW publish_copy.events;
