-- any_pending: whether any delivery is still pending. Asked first in every delivery round: almost every poll
-- finds none, and then neither the give-up of unrouted deliveries (an UPDATE) nor any_due needs to run.
SELECT EXISTS (SELECT 1 FROM alert_deliveries WHERE status = 'pending');
