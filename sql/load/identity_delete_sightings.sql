-- Forget one payload's sightings before (re)storing them, so loading a payload twice keeps one copy.
DELETE FROM model_sightings WHERE payload_hash = $payload_hash;
