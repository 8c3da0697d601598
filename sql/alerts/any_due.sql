-- any_due: whether some pending delivery's next attempt is due at $now. Asked before due_deliveries,
-- whose joins, title and board macros cost ~20 ms of CPU to plan and run even on an empty table, since
-- every poll runs a delivery round and almost always finds nothing due.
SELECT EXISTS (
    SELECT 1 FROM alert_deliveries WHERE status = 'pending' AND next_attempt_at <= $now
);
