-- Store the staged sightings (registered frame staged_sightings) of one payload.
INSERT INTO model_sightings (payload_hash, source, as_of, model_key, display_name, organization, license,
                             knowledge_cutoff, url, keyed, extra)
SELECT $payload_hash, $source, as_of, model_key, display_name, organization, license,
       knowledge_cutoff, url, coalesce(keyed, false), extra::JSON
FROM staged_sightings;
