-- Each snapshot's highest published rank, stored when it is loaded (tracker/store.py _snapshot_keys), so
-- board_dates (partial snapshots: fewer rows than the ranks they publish) aggregates no standings: for one
-- board at 10x that aggregate read the blocks of ~10 M of the 15 M standings in every publish, 44 MB of the
-- poller's resident memory. Snapshots stored before get theirs from their standings, once.
ALTER TABLE snapshots ADD COLUMN published_ranks INTEGER;
UPDATE snapshots AS s
SET published_ranks = p.published_ranks
FROM (
    SELECT snapshot_id, max(rank_published) AS published_ranks
    FROM standings
    GROUP BY snapshot_id
) AS p
WHERE p.snapshot_id = s.snapshot_id;
