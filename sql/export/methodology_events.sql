-- methodology_events for the lake: every seeded methodology event; always exported whole.
SELECT * FROM methodology_events
