-- Methodology changes upstream (how scores, CIs or ranks were computed or shown), as dated markers for
-- charts and the `events` stream. Filled from seeds/methodology_events.csv on every writer open
-- (tracker/methodology.py); a null arena, category or style_control means "every board".
CREATE TABLE methodology_events (
    event_id       VARCHAR PRIMARY KEY,          -- stable slug, e.g. 'ci-closed-form'
    event_date     DATE NOT NULL,                -- the date charts mark
    kind           VARCHAR NOT NULL,             -- ci_method | rank_method | ...
    arena          VARCHAR,
    category       VARCHAR,
    style_control  BOOLEAN,
    title          VARCHAR NOT NULL,             -- short marker label
    description    VARCHAR NOT NULL,             -- one human sentence
    date_note      VARCHAR,                      -- how exact event_date is and where it comes from
    reference      VARCHAR                       -- URL or document backing the entry
);
