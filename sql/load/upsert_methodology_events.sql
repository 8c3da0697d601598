-- Copy the methodology events seed file ($path, a CSV) into methodology_events: new or changed rows are
-- written, rows already equal write nothing, so running it on every writer open is idempotent.
INSERT OR REPLACE INTO methodology_events
SELECT * FROM read_csv($path, header = true, auto_detect = false, quote = '"', escape = '"', columns = {
    'event_id': 'VARCHAR', 'event_date': 'DATE', 'kind': 'VARCHAR', 'arena': 'VARCHAR',
    'category': 'VARCHAR', 'style_control': 'BOOLEAN', 'title': 'VARCHAR', 'description': 'VARCHAR',
    'date_note': 'VARCHAR', 'reference': 'VARCHAR', 'leaderboard': 'VARCHAR'})
EXCEPT
SELECT * FROM methodology_events;
