-- confirmed_crowns: one row per new #1 and watch (the registered `alert_rules` rows of kind 'new_leader', all
-- with the board filter $leaderboard / $arena / $category / $style_control, null fields: any) once the change
-- is confirmed: event_key, kind, event_date (the reign's first date), confirmed_as_of, the board, model (the
-- new #1), other_model (the #1 it replaces: the last confirmed one), ordinal ranks, significant, sentence,
-- watch (same columns as confirmed.sql).
-- The reigns come from `crowns_for` (ordinal rank), the board filter reaching its scans as constants. Walking
-- each board's reigns in order from the #1 of its first complete date, a reign of model L replaces the
-- confirmed #1 C when
--   * L held #1 on `persist` consecutive complete board dates, and
--   * on one of its dates from the `persist`-th on (the first such date confirms it), when the watch is
--     `significant`: L is the only model with rank (UB) 1, or L's CI no longer overlaps C's (or C is no longer
--     listed); on sources without CIs (rating-only archives) persistence alone decides.
-- A reign of C itself (the crown lost for a while and taken back without L ever being confirmed) is no news.
-- The walk is a recursive CTE: whether a reign is confirmed depends on C, which depends on earlier reigns.
WITH RECURSIVE
rules AS (FROM alert_rules WHERE kind = 'new_leader'),
reigns AS MATERIALIZED (
    SELECT r.watch, r.persist, r.significant AS need_significant, r.models, r.orgs, r.board_wide,
           c.leaderboard, c.arena, c.category, c.style_control, c.model, c.display_name, c.reign_start, c.snapshots,
           d.seq AS start_seq
    FROM crowns_for(CAST($leaderboard AS VARCHAR), CAST($arena AS VARCHAR), CAST($category AS VARCHAR), CAST($style_control AS BOOLEAN)) AS c
    JOIN board_dates AS d
        ON d.leaderboard = c.leaderboard AND d.arena = c.arena AND d.category = c.category AND d.style_control = c.style_control
       AND d.as_of = c.reign_start AND NOT d.partial
    JOIN rules AS r
        ON (r.leaderboard IS NULL OR r.leaderboard = c.leaderboard)
       AND (r.arena IS NULL OR r.arena = c.arena)
       AND (r.category IS NULL OR r.category = c.category)
       AND (r.style_control IS NULL OR r.style_control = c.style_control)
    WHERE c.rank_basis = 'ordinal'
    -- a watch listing overlapping boards sees each reign once
    QUALIFY row_number() OVER (PARTITION BY r.watch, c.leaderboard, c.arena, c.category, c.style_control, c.model, c.reign_start) = 1
),
baseline AS (
    SELECT watch, leaderboard, arena, category, style_control, min(model) AS model
    FROM reigns
    WHERE start_seq = 1
    GROUP BY ALL
),
runs AS MATERIALIZED (
    SELECT g.*,
           row_number() OVER (PARTITION BY g.watch, g.leaderboard, g.arena, g.category, g.style_control ORDER BY g.start_seq, g.model)
               AS run_no
    FROM reigns AS g
    WHERE g.start_seq > 1 AND g.snapshots >= g.persist
),
-- rows of the watched boards that the checks read (one scan of `ranked`): the models that ever led them,
-- and the rank (UB) 1 holders, counted per date
board_rows AS MATERIALIZED (
    SELECT h.leaderboard, h.arena, h.category, h.style_control, h.as_of, h.seq, h.model, h.display_name, h.rank_ordinal,
           h.rank_ub, h.rating_lower, h.rating_upper
    FROM ranked AS h
    SEMI JOIN (SELECT DISTINCT leaderboard, arena, category, style_control FROM reigns) AS b
        ON b.leaderboard = h.leaderboard AND b.arena = h.arena AND b.category = h.category AND b.style_control = h.style_control
    WHERE NOT h.partial AND (h.rank_ub = 1 OR h.model IN (SELECT g.model FROM reigns AS g))
      AND (CAST($leaderboard AS VARCHAR) IS NULL OR h.leaderboard = $leaderboard)
      AND (CAST($arena AS VARCHAR) IS NULL OR h.arena = $arena)
      AND (CAST($category AS VARCHAR) IS NULL OR h.category = $category)
      AND (CAST($style_control AS BOOLEAN) IS NULL OR h.style_control = $style_control)
),
leaders AS (
    SELECT h.*
    FROM board_rows AS h
    SEMI JOIN reigns AS g
        ON g.leaderboard = h.leaderboard AND g.arena = h.arena AND g.category = h.category AND g.style_control = h.style_control AND g.model = h.model
),
ub_holders AS (
    SELECT leaderboard, arena, category, style_control, as_of, count(*) AS holders
    FROM board_rows
    WHERE rank_ub = 1
    GROUP BY ALL
),
-- for each run and each model that could be the confirmed #1 before it: the first date that confirms it
pairs AS (
    SELECT r.watch, r.leaderboard, r.arena, r.category, r.style_control, r.run_no, o.model AS old
    FROM runs AS r
    JOIN (
        SELECT watch, leaderboard, arena, category, style_control, model FROM baseline
        UNION
        SELECT watch, leaderboard, arena, category, style_control, model FROM runs
    ) AS o
        ON o.watch = r.watch AND o.leaderboard = r.leaderboard AND o.arena = r.arena AND o.category = r.category AND o.style_control = r.style_control
       AND o.model <> r.model
),
checks AS (
    SELECT
        p.watch, p.leaderboard, p.arena, p.category, p.style_control, p.run_no, p.old, a.seq, a.as_of,
        a.rating_lower IS NOT NULL AND a.rating_upper IS NOT NULL AS ci_known,
        b.model IS NOT NULL AS old_listed,
        coalesce(a.rank_ub = 1 AND u.holders = 1, false) OR b.model IS NULL
            OR coalesce(a.rating_lower > b.rating_upper, false) AS stat_clear,
        r.need_significant
    FROM pairs AS p
    JOIN runs AS r
        ON r.watch = p.watch AND r.leaderboard = p.leaderboard AND r.arena = p.arena AND r.category = p.category AND r.style_control = p.style_control
       AND r.run_no = p.run_no
    JOIN leaders AS a
        ON a.leaderboard = r.leaderboard AND a.arena = r.arena AND a.category = r.category AND a.style_control = r.style_control AND a.model = r.model
       AND a.seq BETWEEN r.start_seq + r.persist - 1 AND r.start_seq + r.snapshots - 1
    LEFT JOIN leaders AS b
        ON b.leaderboard = r.leaderboard AND b.arena = r.arena AND b.category = r.category AND b.style_control = r.style_control AND b.model = p.old
       AND b.as_of = a.as_of
    LEFT JOIN ub_holders AS u
        ON u.leaderboard = r.leaderboard AND u.arena = r.arena AND u.category = r.category AND u.style_control = r.style_control AND u.as_of = a.as_of
),
confirms AS MATERIALIZED (
    SELECT watch, leaderboard, arena, category, style_control, run_no, old,
           min(seq) AS confirm_seq, arg_min(as_of, seq) AS confirmed_as_of,
           arg_min(stat_clear, seq) AS stat_clear, arg_min(ci_known, seq) AS ci_known,
           arg_min(old_listed, seq) AS old_listed
    FROM checks
    WHERE stat_clear OR NOT ci_known OR NOT need_significant
    GROUP BY ALL
),
walk(watch, leaderboard, arena, category, style_control, run_no, leader, alerted, old, confirmed_as_of, stat_clear, ci_known,
     old_listed) AS (
    SELECT watch, leaderboard, arena, category, style_control, 0::BIGINT, model, false, NULL::VARCHAR, NULL::DATE,
           NULL::BOOLEAN, NULL::BOOLEAN, NULL::BOOLEAN
    FROM baseline
    UNION ALL
    SELECT
        w.watch, w.leaderboard, w.arena, w.category, w.style_control, r.run_no,
        CASE WHEN r.model <> w.leader AND c.confirm_seq IS NOT NULL THEN r.model ELSE w.leader END,
        r.model <> w.leader AND c.confirm_seq IS NOT NULL,
        w.leader, c.confirmed_as_of, c.stat_clear, c.ci_known, c.old_listed
    FROM walk AS w
    JOIN runs AS r
        ON r.watch = w.watch AND r.leaderboard = w.leaderboard AND r.arena = w.arena AND r.category = w.category AND r.style_control = w.style_control
       AND r.run_no = w.run_no + 1
    LEFT JOIN confirms AS c
        ON c.watch = r.watch AND c.leaderboard = r.leaderboard AND c.arena = r.arena AND c.category = r.category AND c.style_control = r.style_control
       AND c.run_no = r.run_no AND c.old = w.leader
),
orgs AS (
    SELECT s.model, list(DISTINCT regexp_replace(lower(s.organization), '[^a-z0-9]', '', 'g')) AS orgs
    FROM standings_resolved AS s
    WHERE s.organization IS NOT NULL AND (SELECT bool_or(len(r.orgs) > 0) FROM rules AS r)
    GROUP BY s.model
),
names AS (
    SELECT leaderboard, arena, category, style_control, model, arg_max(display_name, as_of) AS display_name
    FROM leaders
    GROUP BY ALL
),
found AS (
    SELECT
        r.watch, r.leaderboard, r.arena, r.category, r.style_control, r.model, r.display_name, r.reign_start,
        w.old, coalesce(n.display_name, w.old) AS old_name, w.confirmed_as_of, w.stat_clear, w.ci_known,
        w.old_listed,
        prev.rank_ordinal AS rank_before,
        r.board_wide
            OR list_has_any(r.models, list_filter(
                [r.model, w.old, lower(r.display_name), lower(n.display_name)], lambda x: x IS NOT NULL))
            OR list_has_any(r.orgs, list_concat(coalesce(om.orgs, []), coalesce(oo.orgs, []))) AS concerns
    FROM walk AS w
    JOIN runs AS r
        ON r.watch = w.watch AND r.leaderboard = w.leaderboard AND r.arena = w.arena AND r.category = w.category AND r.style_control = w.style_control
       AND r.run_no = w.run_no
    LEFT JOIN names AS n
        ON n.leaderboard = r.leaderboard AND n.arena = r.arena AND n.category = r.category AND n.style_control = r.style_control AND n.model = w.old
    LEFT JOIN leaders AS prev
        ON prev.leaderboard = r.leaderboard AND prev.arena = r.arena AND prev.category = r.category AND prev.style_control = r.style_control
       AND prev.model = r.model AND prev.seq = r.start_seq - 1
    LEFT JOIN orgs AS om ON om.model = r.model
    LEFT JOIN orgs AS oo ON oo.model = w.old
    WHERE w.alerted
)
SELECT
    md5(concat_ws('|', 'new_leader', coalesce(nullif(leaderboard, 'LMArena') || ':', '') || arena, category, CAST(style_control AS VARCHAR), model, '',
        strftime(reign_start, '%Y-%m-%d'), '', '')) AS event_key,
    'new_leader' AS kind,
    reign_start AS event_date,
    confirmed_as_of,
    leaderboard, arena, category, style_control, model, display_name,
    old AS other_model, old_name AS other_display_name,
    rank_before, 1 AS rank_after, NULL::INTEGER AS top_n,
    coalesce(stat_clear, false) AND ci_known AS significant,
    coalesce(display_name, model) || ' is the new #1 on ' || board_label(leaderboard, arena, category, style_control)
        || ', taking over from ' || old_name
        || ' (#1 since ' || strftime(reign_start, '%Y-%m-%d')
        || CASE WHEN NOT ci_known THEN '; the source publishes no confidence intervals'
                WHEN stat_clear AND NOT old_listed THEN '; ' || old_name || ' is no longer listed'
                WHEN stat_clear THEN '; its lead is beyond the confidence intervals'
                ELSE '; the confidence intervals still overlap' END
        || CASE WHEN confirmed_as_of > reign_start THEN ' as of ' || strftime(confirmed_as_of, '%Y-%m-%d') ELSE '' END
        || ').' AS sentence,
    watch
FROM found
WHERE concerns
ORDER BY confirmed_as_of, event_date, model, watch;
