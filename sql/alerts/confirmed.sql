-- confirmed: one row per event of events_with($top_n, $min_move) and watch (the registered `alert_rules`:
-- one row per watch, event kind and board filter, all with this top N) once the change has held long enough
-- to alert: event_key, kind, event_date (first board date showing it), confirmed_as_of, the board, models,
-- ordinal ranks, top_n (top-N kinds), significant, sentence, watch.
-- Rules, statistics-aware by default:
--   * persistence: the change holds on `persist` consecutive board dates from event_date (the new #1 stays
--     #1, the entrant stays in the top N, the mover stays `min_move` places away from its old rank, the
--     overtaker stays ahead); a mover's old rank must have held as long before the move (so the way back
--     from a one-date spike is no move either); debuts and methodology changes are facts and alert at once;
--   * a new #1 (when the watch is `significant`) is confirmed on the first such date on which it is the only
--     model with rank (UB) 1 or its CI no longer overlaps the previous #1's; a rank move must be
--     `significant` in the events stream (CIs disjoint or rank (UB) changed); on boards from sources
--     without CIs (rating-only archives) these CI rules cannot apply and persistence alone decides;
--   * hysteresis: a change that undoes nothing confirmed is dropped (a #1 that lost the crown for one date
--     and took it back, a top-N member that dipped out for one date and came back);
--   * a watch without models or organisations covers whole boards, limited to its top N.
WITH
rules AS (FROM alert_rules),
ev AS MATERIALIZED (
    SELECT
        e.*,
        md5(concat_ws('|', e.kind, coalesce(e.arena, '*'), coalesce(e.category, '*'),
            coalesce(CAST(e.style_control AS VARCHAR), '*'), coalesce(e.model, ''), coalesce(e.other_model, ''),
            strftime(e.event_date, '%Y-%m-%d'),
            CASE WHEN e.kind IN ('top_n_entry', 'top_n_exit') THEN CAST($top_n AS VARCHAR) ELSE '' END,
            CASE WHEN e.kind = 'methodology' THEN e.sentence ELSE '' END)) AS event_key
    FROM events_with($top_n, $min_move) AS e
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
        r.top_n AS watch_top_n,
        r.board_wide OR e.kind = 'methodology'
            OR list_has_any(r.models, list_filter(
                [e.model, e.other_model, lower(e.display_name), lower(e.other_display_name)], lambda x: x IS NOT NULL))
            OR list_has_any(r.orgs, list_concat(coalesce(om.orgs, []), coalesce(oo.orgs, []))) AS concerns
    FROM ev AS e
    JOIN rules AS r
        ON r.kind = e.kind
       AND (r.arena IS NULL OR e.arena IS NULL OR r.arena = e.arena)
       AND (r.category IS NULL OR e.category IS NULL OR r.category = e.category)
       AND (r.style_control IS NULL OR e.style_control IS NULL OR r.style_control = e.style_control)
    LEFT JOIN orgs AS om ON om.model = e.model
    LEFT JOIN orgs AS oo ON oo.model = e.other_model
    WHERE (e.kind <> 'rank_move' OR abs(e.rank_before - e.rank_after) >= r.min_move)
      AND (NOT r.board_wide OR CASE e.kind
               WHEN 'debut' THEN e.rank_after <= r.top_n
               WHEN 'exit' THEN e.rank_before <= r.top_n
               WHEN 'rank_move' THEN least(e.rank_before, e.rank_after) <= r.top_n
               ELSE true END)
    -- a watch listing overlapping boards matches an event once
    QUALIFY row_number() OVER (PARTITION BY e.event_key, r.watch) = 1
),
-- crown changes are chained per board (below), so every one is kept until then; other kinds only when
-- they concern the watch
candidates AS (
    SELECT m.*, d.seq AS start_seq
    FROM matched AS m
    JOIN board_dates AS d
        ON d.arena = m.arena AND d.category = m.category AND d.style_control = m.style_control
       AND d.as_of = m.event_date
    WHERE m.kind NOT IN ('debut', 'methodology') AND (m.concerns OR m.kind = 'new_leader')
),
span AS (
    SELECT c.event_key, c.watch, c.kind, c.arena, c.category, c.style_control, c.model, c.other_model,
           c.rank_before, c.rank_after, c.significant, c.persist, c.need_significant, c.watch_min_move,
           c.watch_top_n, c.start_seq, d.seq, d.as_of AS at_date
    FROM candidates AS c
    JOIN board_dates AS d
        ON d.arena = c.arena AND d.category = c.category AND d.style_control = c.style_control
       AND d.seq < CASE WHEN c.kind = 'new_leader' THEN 2147483647 ELSE c.start_seq + c.persist END
       -- a rank move also looks back: the old rank must have held as long as the new one must
       AND d.seq >= c.start_seq - CASE WHEN c.kind = 'rank_move' THEN c.persist ELSE 0 END
),
-- the rank_history rows the checks read: the spans' dates, and each board's first date (the baseline)
hist AS MATERIALIZED (
    SELECT h.arena, h.category, h.style_control, h.as_of, h.model, h.rank_ordinal, h.rank_ub,
           h.rating_lower, h.rating_upper
    FROM rank_history AS h
    SEMI JOIN (
        SELECT DISTINCT s.arena, s.category, s.style_control, s.at_date FROM span AS s
        UNION
        SELECT d.arena, d.category, d.style_control, d.as_of
        FROM board_dates AS d
        SEMI JOIN matched AS m
            ON m.arena = d.arena AND m.category = d.category AND m.style_control = d.style_control
        WHERE d.seq = 1
    ) AS x
        ON x.arena = h.arena AND x.category = h.category AND x.style_control = h.style_control
       AND x.at_date = h.as_of
),
ub_holders AS (
    SELECT arena, category, style_control, as_of, count(*) AS holders
    FROM hist WHERE rank_ub = 1
    GROUP BY ALL
),
checked AS (
    SELECT
        s.*,
        coalesce(CASE s.kind
            WHEN 'new_leader' THEN a.rank_ordinal = 1
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
        -- the source published a CI for the model (archives with ratings only do not: then the CI rules
        -- cannot apply and persistence alone decides)
        a.rating_lower IS NOT NULL AND a.rating_upper IS NOT NULL AS ci_known,
        -- the new #1 is statistically clear: sole rank (UB) 1, or CI above the previous #1's (or it is gone)
        s.kind = 'new_leader' AND (
            coalesce(a.rank_ub = 1 AND u.holders = 1, false)
            OR (s.other_model IS NOT NULL AND b.model IS NULL)
            OR coalesce(a.rating_lower > b.rating_upper, false)) AS stat_clear
    FROM span AS s
    LEFT JOIN hist AS a
        ON a.arena = s.arena AND a.category = s.category AND a.style_control = s.style_control
       AND a.as_of = s.at_date AND a.model = s.model
    LEFT JOIN hist AS b
        ON b.arena = s.arena AND b.category = s.category AND b.style_control = s.style_control
       AND b.as_of = s.at_date AND b.model = s.other_model
    LEFT JOIN ub_holders AS u
        ON u.arena = s.arena AND u.category = s.category AND u.style_control = s.style_control
       AND u.as_of = s.at_date
),
settled AS (
    SELECT event_key, watch, bool_and(holds) AS settled
    FROM checked
    WHERE seq < start_seq
    GROUP BY event_key, watch
),
runs AS (
    SELECT c.*,
           bool_and(c.holds) OVER (PARTITION BY c.event_key, c.watch ORDER BY c.seq ROWS UNBOUNDED PRECEDING) AS held
    FROM checked AS c
    WHERE c.seq >= c.start_seq
),
-- a rank move must be significant in the events stream (CIs disjoint or rank (UB) changed) when CIs exist
move_ok AS (
    SELECT event_key, watch, bool_or(significant OR NOT need_significant OR NOT ci_known) AS ok
    FROM checked
    WHERE kind = 'rank_move' AND seq = start_seq
    GROUP BY event_key, watch
),
confirm AS (
    SELECT r.event_key, r.watch, min(r.seq) AS confirm_seq,
           arg_min(r.stat_clear, r.seq) AS stat_clear, arg_min(r.ci_known, r.seq) AS ci_known
    FROM runs AS r
    LEFT JOIN settled AS s ON s.event_key = r.event_key AND s.watch = r.watch
    LEFT JOIN move_ok AS mv ON mv.event_key = r.event_key AND mv.watch = r.watch
    WHERE r.held AND r.seq >= r.start_seq + r.persist - 1 AND coalesce(s.settled, true) AND coalesce(mv.ok, true)
      AND (r.stat_clear OR NOT r.ci_known OR r.kind <> 'new_leader' OR NOT r.need_significant)
    GROUP BY r.event_key, r.watch
),
confirmed AS (
    SELECT m.*, d.as_of AS confirmed_as_of, c.stat_clear, c.ci_known
    FROM matched AS m
    JOIN confirm AS c ON c.event_key = m.event_key AND c.watch = m.watch
    JOIN board_dates AS d
        ON d.arena = m.arena AND d.category = m.category AND d.style_control = m.style_control
       AND d.seq = c.confirm_seq
    UNION ALL BY NAME
    SELECT m.*, m.event_date AS confirmed_as_of, NULL::BOOLEAN AS stat_clear, NULL::BOOLEAN AS ci_known
    FROM matched AS m
    WHERE m.kind IN ('debut', 'methodology') AND m.concerns
),
-- hysteresis: per watch and chain (a board's crown, a model's top-N membership, a pair's order), a
-- confirmed change whose state equals the previous confirmed state (or the baseline) changes nothing
chained AS (
    SELECT
        c.*,
        CASE c.kind
            WHEN 'new_leader' THEN c.model
            WHEN 'overtake' THEN c.model
            WHEN 'top_n_entry' THEN 'in'
            WHEN 'top_n_exit' THEN 'out'
        END AS state,
        CASE c.kind
            WHEN 'new_leader' THEN ''
            WHEN 'overtake' THEN least(c.model, c.other_model) || '|' || greatest(c.model, c.other_model)
            ELSE c.model
        END AS chain_key,
        CASE WHEN c.kind IN ('top_n_entry', 'top_n_exit') THEN 'top_n' ELSE c.kind END AS chain_kind
    FROM confirmed AS c
),
ordered AS (
    SELECT
        ch.*,
        lag(ch.state) OVER (
            PARTITION BY ch.watch, ch.chain_kind, ch.arena, ch.category, ch.style_control, ch.chain_key
            ORDER BY ch.event_date, ch.event_key
        ) AS prev_state
    FROM chained AS ch
),
baseline AS (
    SELECT h.arena, h.category, h.style_control, h.model, h.rank_ordinal
    FROM hist AS h
    JOIN board_dates AS d
        ON d.arena = h.arena AND d.category = h.category AND d.style_control = h.style_control
       AND d.as_of = h.as_of AND d.seq = 1
),
kept AS (
    SELECT o.*
    FROM ordered AS o
    LEFT JOIN baseline AS bm
        ON bm.arena = o.arena AND bm.category = o.category AND bm.style_control = o.style_control
       AND bm.model = o.model
    WHERE o.concerns
      AND CASE
          WHEN o.state IS NULL THEN true
          WHEN o.prev_state IS NOT NULL THEN o.state <> o.prev_state
          WHEN o.kind = 'new_leader' THEN coalesce(bm.rank_ordinal <> 1, true)
          WHEN o.kind = 'top_n_entry' THEN coalesce(bm.rank_ordinal > o.watch_top_n, true)
          WHEN o.kind = 'top_n_exit' THEN coalesce(bm.rank_ordinal <= o.watch_top_n, false)
          ELSE true
      END
)
SELECT
    event_key, kind, event_date, confirmed_as_of, arena, category, style_control,
    model, display_name, other_model, other_display_name, rank_before, rank_after,
    CASE WHEN kind IN ('top_n_entry', 'top_n_exit') THEN watch_top_n END AS top_n,
    CASE WHEN kind = 'new_leader' THEN coalesce(stat_clear, significant) ELSE significant END AS significant,
    CASE WHEN kind = 'new_leader' THEN
        display_name || ' is the new #1 on ' || board_label(arena, category, style_control)
        || coalesce(', taking over from ' || other_display_name, '')
        || ' (#1 since ' || strftime(event_date, '%Y-%m-%d')
        || CASE WHEN NOT coalesce(ci_known, true) THEN '; the source publishes no confidence intervals'
                WHEN coalesce(stat_clear, significant) THEN '; its lead is beyond the confidence intervals'
                ELSE '; the confidence intervals still overlap' END
        || CASE WHEN confirmed_as_of > event_date THEN ' as of ' || strftime(confirmed_as_of, '%Y-%m-%d') ELSE '' END
        || ').'
    ELSE sentence END AS sentence,
    watch
FROM kept
ORDER BY confirmed_as_of, event_date, kind, event_key, watch;
