-- confirmed: one row per event of events_for($top_n, $min_move, board) other than a new #1 (see
-- confirmed_crowns.sql) and watch (the registered `alert_rules`: one row per watch, event kind and board
-- filter, all with this top N and the board filter $leaderboard / $arena / $category / $style_control, null
-- fields: any) once the change has held long enough to alert: event_key, kind, event_date
-- (first board date showing it), confirmed_as_of, the board, models, ordinal ranks, top_n (top-N kinds),
-- significant, sentence, watch.
-- Rules, statistics-aware by default:
--   * persistence: the change holds on `persist` consecutive complete board dates from event_date (the
--     entrant stays in the top N, the leaver out of it, the mover stays `min_move` places away from its old
--     rank, the overtaker stays ahead, the exited model stays absent); a mover's old rank must have held as
--     long before the move (so the way back from a one-date spike is no move either); debuts and
--     methodology changes are facts and alert at once;
--   * a rank move must be `significant` in the events stream (CIs disjoint or rank (UB) changed) when the
--     watch is `significant` and the source publishes CIs (rating-only archives do not: persistence decides);
--   * hysteresis: a change that undoes nothing confirmed is dropped (a top-N member that dipped out for one
--     date and came back, an overtake repeated after a reversal that never held);
--   * a watch without models or organisations covers whole boards, limited to its top N.
-- The board filter reaches the event stream's scans as constants, below its windows (which partition by
-- board): a watch of two boards reads their history, not every board's (1x history: 3.7 -> 0.6 s).
WITH
rules AS (FROM alert_rules WHERE kind <> 'new_leader'),
ev AS MATERIALIZED (
    SELECT
        e.*,
        md5(concat_ws('|', e.kind, coalesce(nullif(e.leaderboard, 'LMArena') || ':', '') || coalesce(e.arena, '*'), coalesce(e.category, '*'),
            coalesce(CAST(e.style_control AS VARCHAR), '*'), coalesce(e.model, ''), coalesce(e.other_model, ''),
            strftime(e.event_date, '%Y-%m-%d'),
            CASE WHEN e.kind IN ('top_n_entry', 'top_n_exit') THEN CAST($top_n AS VARCHAR) ELSE '' END,
            CASE WHEN e.kind = 'methodology' THEN e.sentence ELSE '' END)) AS event_key
    FROM events_for($top_n, $min_move, CAST($leaderboard AS VARCHAR), CAST($arena AS VARCHAR), CAST($category AS VARCHAR), CAST($style_control AS BOOLEAN)) AS e
    WHERE e.kind IN (SELECT r.kind FROM rules AS r)
),
-- every spelling of each model's organisation, normalised as in tracker/alerts/config.normalise_org
orgs AS (
    SELECT s.model, list(DISTINCT regexp_replace(lower(s.organization), '[^a-z0-9]', '', 'g')) AS orgs
    FROM standings_resolved AS s
    WHERE s.organization IS NOT NULL AND (SELECT bool_or(len(r.orgs) > 0) FROM rules AS r)
    GROUP BY s.model
),
matched AS MATERIALIZED (
    SELECT
        e.*, r.watch, r.persist, r.significant AS need_significant, r.min_move AS watch_min_move,
        r.top_n AS watch_top_n
    FROM ev AS e
    JOIN rules AS r
        ON r.kind = e.kind
       AND (r.leaderboard IS NULL OR e.leaderboard IS NULL OR r.leaderboard = e.leaderboard)
       AND (r.arena IS NULL OR e.arena IS NULL OR r.arena = e.arena)
       AND (r.category IS NULL OR e.category IS NULL OR r.category = e.category)
       AND (r.style_control IS NULL OR e.style_control IS NULL OR r.style_control = e.style_control)
    LEFT JOIN orgs AS om ON om.model = e.model
    LEFT JOIN orgs AS oo ON oo.model = e.other_model
    WHERE (e.kind <> 'rank_move' OR abs(e.rank_before - e.rank_after) >= r.min_move)
      AND (
          e.kind = 'methodology'
          OR (r.board_wide AND CASE e.kind
                  WHEN 'debut' THEN e.rank_after <= r.top_n
                  WHEN 'exit' THEN e.rank_before <= r.top_n
                  WHEN 'rank_move' THEN least(e.rank_before, e.rank_after) <= r.top_n
                  ELSE true END)
          OR list_has_any(r.models, list_filter(
                [e.model, e.other_model, lower(e.display_name), lower(e.other_display_name)], lambda x: x IS NOT NULL))
          OR list_has_any(r.orgs, list_concat(coalesce(om.orgs, []), coalesce(oo.orgs, [])))
      )
    -- a watch listing overlapping boards matches an event once
    QUALIFY row_number() OVER (PARTITION BY e.event_key, r.watch) = 1
),
candidates AS (
    SELECT m.*, d.seq AS start_seq
    FROM matched AS m
    JOIN board_dates AS d
        ON d.leaderboard = m.leaderboard AND d.arena = m.arena AND d.category = m.category AND d.style_control = m.style_control
       AND d.as_of = m.event_date AND NOT d.partial
    WHERE m.kind NOT IN ('debut', 'methodology')
),
span AS (
    SELECT c.event_key, c.watch, c.kind, c.leaderboard, c.arena, c.category, c.style_control, c.model, c.other_model,
           c.rank_before, c.rank_after, c.significant, c.persist, c.need_significant, c.watch_min_move,
           c.watch_top_n, c.start_seq, d.seq, d.as_of AS at_date
    FROM candidates AS c
    JOIN board_dates AS d
        ON d.leaderboard = c.leaderboard AND d.arena = c.arena AND d.category = c.category AND d.style_control = c.style_control
       AND NOT d.partial AND d.seq < c.start_seq + c.persist
       -- a rank move also looks back: the old rank must have held as long as the new one must
       AND d.seq >= c.start_seq - CASE WHEN c.kind = 'rank_move' THEN c.persist ELSE 0 END
),
-- the rows the checks read: the spans' dates, and each board's first date (the baseline)
hist AS MATERIALIZED (
    SELECT h.leaderboard, h.arena, h.category, h.style_control, h.as_of, h.seq, h.model, h.rank_ordinal, h.rating_lower,
           h.rating_upper
    FROM ranked AS h
    SEMI JOIN (
        SELECT DISTINCT s.leaderboard, s.arena, s.category, s.style_control, s.at_date FROM span AS s
        UNION
        SELECT d.leaderboard, d.arena, d.category, d.style_control, d.as_of
        FROM board_dates AS d
        SEMI JOIN matched AS m
            ON m.leaderboard = d.leaderboard AND m.arena = d.arena AND m.category = d.category AND m.style_control = d.style_control
        WHERE d.seq = 1 AND NOT d.partial
    ) AS x
        ON x.leaderboard = h.leaderboard AND x.arena = h.arena AND x.category = h.category AND x.style_control = h.style_control
       AND x.at_date = h.as_of
    WHERE NOT h.partial
      AND (CAST($leaderboard AS VARCHAR) IS NULL OR h.leaderboard = $leaderboard)
      AND (CAST($arena AS VARCHAR) IS NULL OR h.arena = $arena)
      AND (CAST($category AS VARCHAR) IS NULL OR h.category = $category)
      AND (CAST($style_control AS BOOLEAN) IS NULL OR h.style_control = $style_control)
),
checked AS (
    SELECT
        s.*,
        coalesce(CASE s.kind
            WHEN 'top_n_entry' THEN a.rank_ordinal <= s.watch_top_n
            WHEN 'top_n_exit' THEN a.model IS NULL OR a.rank_ordinal > s.watch_top_n
            WHEN 'exit' THEN a.model IS NULL
            -- after the move: still min_move places away from the old rank; before it: from the new one
            WHEN 'rank_move' THEN CASE
                WHEN s.seq < s.start_seq AND s.rank_after < s.rank_before
                    THEN a.rank_ordinal >= s.rank_after + s.watch_min_move
                WHEN s.seq < s.start_seq THEN a.rank_ordinal <= s.rank_after - s.watch_min_move
                WHEN s.rank_after < s.rank_before THEN a.rank_ordinal <= s.rank_before - s.watch_min_move
                ELSE a.rank_ordinal >= s.rank_before + s.watch_min_move END
            WHEN 'overtake' THEN a.rank_ordinal < b.rank_ordinal
        END, false) AS holds,
        -- the source published a CI for the model (rating-only archives do not)
        a.rating_lower IS NOT NULL AND a.rating_upper IS NOT NULL AS ci_known
    FROM span AS s
    LEFT JOIN hist AS a
        ON a.leaderboard = s.leaderboard AND a.arena = s.arena AND a.category = s.category AND a.style_control = s.style_control
       AND a.as_of = s.at_date AND a.model = s.model
    LEFT JOIN hist AS b
        ON b.leaderboard = s.leaderboard AND b.arena = s.arena AND b.category = s.category AND b.style_control = s.style_control
       AND b.as_of = s.at_date AND b.model = s.other_model
),
verdict AS (
    SELECT
        event_key, watch,
        -- every date of the span holds (before the move as well, for a move), and it reached `persist` dates
        max(seq) FILTER (WHERE seq >= start_seq) AS last_seq,
        bool_and(holds) AS held,
        count(*) FILTER (WHERE seq >= start_seq) = any_value(persist) AS complete,
        bool_or(kind <> 'rank_move' OR significant OR NOT need_significant OR NOT ci_known)
            FILTER (WHERE seq = start_seq) AS significant_enough
    FROM checked
    GROUP BY event_key, watch
),
confirmed AS (
    SELECT m.*, d.as_of AS confirmed_as_of
    FROM matched AS m
    JOIN verdict AS v ON v.event_key = m.event_key AND v.watch = m.watch
    JOIN board_dates AS d
        ON d.leaderboard = m.leaderboard AND d.arena = m.arena AND d.category = m.category AND d.style_control = m.style_control
       AND d.seq = v.last_seq AND NOT d.partial
    WHERE v.held AND v.complete AND coalesce(v.significant_enough, true)
    UNION ALL BY NAME
    SELECT m.*, m.event_date AS confirmed_as_of
    FROM matched AS m
    WHERE m.kind IN ('debut', 'methodology')
),
-- hysteresis: per watch and chain (a model's top-N membership, a pair's order), a confirmed change whose
-- state equals the previous confirmed state (or, for top N, the state on the board's first date) changes
-- nothing
ordered AS (
    SELECT
        c.*,
        CASE c.kind WHEN 'overtake' THEN c.model WHEN 'top_n_entry' THEN 'in' WHEN 'top_n_exit' THEN 'out' END
            AS state,
        lag(CASE c.kind WHEN 'overtake' THEN c.model WHEN 'top_n_entry' THEN 'in' WHEN 'top_n_exit' THEN 'out' END)
            OVER (
                PARTITION BY c.watch, CASE WHEN c.kind = 'overtake' THEN 'overtake' ELSE 'top_n' END,
                    c.leaderboard, c.arena, c.category, c.style_control,
                    CASE WHEN c.kind = 'overtake' THEN least(c.model, c.other_model) || '|' || greatest(c.model, c.other_model)
                         ELSE c.model END
                ORDER BY c.event_date, c.event_key
            ) AS prev_state
    FROM confirmed AS c
),
baseline AS (
    SELECT h.leaderboard, h.arena, h.category, h.style_control, h.model, h.rank_ordinal
    FROM hist AS h
    WHERE h.seq = 1
)
SELECT
    o.event_key, o.kind, o.event_date, o.confirmed_as_of, o.leaderboard, o.arena, o.category, o.style_control,
    o.model, o.display_name, o.other_model, o.other_display_name, o.rank_before, o.rank_after,
    CASE WHEN o.kind IN ('top_n_entry', 'top_n_exit') THEN o.watch_top_n END AS top_n,
    o.significant, o.sentence, o.watch
FROM ordered AS o
LEFT JOIN baseline AS bm
    ON bm.leaderboard = o.leaderboard AND bm.arena = o.arena AND bm.category = o.category AND bm.style_control = o.style_control
   AND bm.model = o.model
WHERE CASE
    WHEN o.state IS NULL THEN true
    WHEN o.prev_state IS NOT NULL THEN o.state <> o.prev_state
    WHEN o.kind = 'top_n_entry' THEN coalesce(bm.rank_ordinal > o.watch_top_n, true)
    WHEN o.kind = 'top_n_exit' THEN coalesce(bm.rank_ordinal <= o.watch_top_n, false)
    ELSE true
END
ORDER BY o.confirmed_as_of, o.event_date, o.kind, o.event_key, o.watch;
