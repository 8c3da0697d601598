-- The newest $limit alert notifications (tracker alerts: events on watched boards, models or organisations):
-- one row per notification with when it was raised, the event's date, kind, board, title, sentence and the
-- watches it matched; newest first.
SELECT created_at, event_date, kind, board, title, sentence, watches
FROM notifications
ORDER BY notification_id DESC
LIMIT $limit;
