-- Reparse starts from nothing derived: every metadata sighting goes (rebuilt from the raw payloads).
DELETE FROM model_sightings;
