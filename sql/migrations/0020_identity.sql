-- Identity: metadata sightings from files that carry no ratings (the Space's 2024+ leaderboard_table CSVs,
-- jasontrigg0 key_to_model.csv, the site registry), a `kind` on every identity row so a refresh can
-- rebuild seeded and learned rows without touching the user's, and the keshami archive's precedence.

-- One row per model named in a metadata payload; rebuilt from raw payloads by `tracker reparse`.
CREATE TABLE model_sightings (
    payload_hash      VARCHAR NOT NULL,
    source            VARCHAR NOT NULL,
    as_of             TIMESTAMPTZ,                -- the file's publish / capture date, when it says
    model_key         VARCHAR NOT NULL,           -- normalised upstream key (display name if the file has none)
    display_name      VARCHAR,
    organization      VARCHAR,
    license           VARCHAR,
    knowledge_cutoff  VARCHAR,
    url               VARCHAR,
    keyed             BOOLEAN NOT NULL,           -- the file publishes real keys, not names standing in for keys
    extra             JSON
);

-- seed | learned | user. Refreshes replace seed and learned rows; user rows (tracker alias) stay.
ALTER TABLE org_aliases ADD COLUMN kind VARCHAR DEFAULT 'seed';
ALTER TABLE organizations ADD COLUMN kind VARCHAR DEFAULT 'seed';
ALTER TABLE models ADD COLUMN kind VARCHAR DEFAULT 'seed';

INSERT INTO source_precedence VALUES ('keshami', 58);
