-- board_identities: the source keys and organisation spellings each board's standings carry, with the first
-- snapshot that carried each, kept by every load (sql/load/observe_board_identities.sql). An incremental
-- publish finds the boards an identity change reaches in it (sql/publish/identity_boards.sql) instead of
-- reading every standing - at 10x 0.9 s and ~90 MB of the poller's memory whenever a page brought a model
-- the tracker had not seen - and, from the first snapshot, whether the change reaches rows the read copy
-- already holds (else only the new dates need computing). Rows are only added: one per board, key and
-- spelling, never updated (a reparse starts it again from nothing).
CREATE TABLE board_identities (
    arena              VARCHAR NOT NULL,
    category           VARCHAR NOT NULL,
    style_control      BOOLEAN NOT NULL,
    model_key          VARCHAR NOT NULL,
    organization       VARCHAR,
    first_snapshot_id  BIGINT NOT NULL
);
INSERT INTO board_identities
SELECT sn.arena, sn.category, sn.style_control, st.model_key, st.organization, min(st.snapshot_id)
FROM standings AS st
JOIN snapshots AS sn USING (snapshot_id)
GROUP BY sn.arena, sn.category, sn.style_control, st.model_key, st.organization
ORDER BY ALL;
