-- Delivery errors stored before targets' credentials were masked (tracker/alerts/config.py Target.mask) named a
-- target as scheme://user:password@host/... and could keep a token-like query value: both are masked here as
-- tracker.logs.redact masks them (a target's header values are not known to SQL: a new attempt's error is masked).
UPDATE alert_delivery_log
SET error = regexp_replace(
        regexp_replace(error, '([A-Za-z][A-Za-z0-9+.-]*://)[^/\s:@]+(:[^/\s@]*)?@', '\1***@', 'g'),
        '(?i)([?&;][A-Za-z0-9_.-]*?(token|key|secret|signature|sig|password|passwd|pwd|auth|credential|session|code)[A-Za-z0-9_.-]*=)[^&#\s]*',
        '\1***', 'g')
WHERE error IS NOT NULL;

UPDATE alert_deliveries
SET last_error = regexp_replace(
        regexp_replace(last_error, '([A-Za-z][A-Za-z0-9+.-]*://)[^/\s:@]+(:[^/\s@]*)?@', '\1***@', 'g'),
        '(?i)([?&;][A-Za-z0-9_.-]*?(token|key|secret|signature|sig|password|passwd|pwd|auth|credential|session|code)[A-Za-z0-9_.-]*=)[^&#\s]*',
        '\1***', 'g')
WHERE last_error IS NOT NULL;
