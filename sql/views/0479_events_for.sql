-- events_for(top_n, min_move, for_leaderboard, for_arena, for_category, for_style_control): table macro; the events of one
-- board (a null argument: every arena, category or style) and every methodology change (events_with(top_n,
-- min_move) is every board's). One dated stream of what happened on the boards, one row per event:
-- event_date, board, kind, model (and other_model), rank_before / rank_after (ordinal), significant, and a
-- human sentence. Kinds:
--   new_leader   a model took ordinal #1 (other_model: the previous #1); significant when it is the only
--                model with rank (UB) 1 or its CI no longer overlaps the previous #1's
--   top_n_entry  a model entered the top `top_n` (from lower down, or new on the board)
--   top_n_exit   a model in the top `top_n` fell out of it or was no longer listed
--   debut        a model's first appearance on a board (not on the board's own first date)
--   exit         a model's last appearance was followed by board dates without it (event_date: the first)
--   rank_move    a move of `min_move` or more ordinal places versus its previous appearance
--   overtake     a model now in the top `top_n`, ranked behind another top-`top_n` model on the board's
--                previous date, is now ahead with CIs that no longer overlap (significant by definition)
--   methodology  a methodology change from seeds (methodology_events); null board columns = every board
-- Changes are between consecutive complete board dates (partial snapshots are skipped, see board_dates);
-- the board's first complete date is the baseline and yields no event.
-- from_date (optional, named: from_date := ...) reads only the board's rows dated on or after it: the events
-- dated after a date D are then the full stream's when from_date is on or before D and on or before the
-- last complete appearance up to D of every model listed after D (an incremental publish appending a
-- board's next dates computes only their events so: sql/publish/events_since.sql).
CREATE OR REPLACE MACRO events_for(top_n, min_move, for_leaderboard, for_arena, for_category, for_style_control, from_date := NULL) AS TABLE
WITH
    h AS NOT MATERIALIZED (
        SELECT
            r.leaderboard, r.arena, r.category, r.style_control, r.as_of, r.model,
            coalesce(r.display_name, r.model) AS name,
            r.rank_ordinal, r.rank_ub, r.rating, r.rating_lower, r.rating_upper, r.votes,
            r.board_prev_as_of AS board_prev, r.board_next_as_of AS board_next, r.board_first_as_of AS first_as_of,
            lag(r.as_of) OVER w AS model_prev_as_of,
            lag(r.rank_ordinal) OVER w AS model_prev_rank,
            lag(r.rank_ub) OVER w AS model_prev_rank_ub,
            lag(r.rating_lower) OVER w AS model_prev_lower,
            lag(r.rating_upper) OVER w AS model_prev_upper,
            lead(r.as_of) OVER w AS model_next_as_of,
            lead(r.rank_ordinal) OVER w AS model_next_rank
        FROM ranked AS r
        WHERE NOT r.partial
          AND (for_leaderboard IS NULL OR r.leaderboard = for_leaderboard) AND (for_arena IS NULL OR r.arena = for_arena) AND (for_category IS NULL OR r.category = for_category)
          AND (for_style_control IS NULL OR r.style_control = for_style_control)
          AND (from_date IS NULL OR r.as_of >= from_date)
        WINDOW w AS (PARTITION BY r.leaderboard, r.arena, r.category, r.style_control, r.model ORDER BY r.as_of)
    ),
    -- the model's rank on the board's previous date, null when it was not listed then
    ctx AS MATERIALIZED (
        SELECT h.*,
               CASE WHEN h.model_prev_as_of = h.board_prev THEN h.model_prev_rank END AS rank_on_prev,
               board_label(h.leaderboard, h.arena, h.category, h.style_control) AS board
        FROM h
        -- only the rows some event below can use (at 10x a board's ~150k rows, of which ~1/5 pass): held
        -- once for every reference, the whole board made this statement the poller's peak (+75 MB -> +47)
        WHERE h.rank_ordinal <= top_n OR h.rank_ordinal = 1 OR h.rank_ub = 1           -- leaders, top n, overtakes
           OR h.model_prev_as_of IS NULL OR h.model_next_as_of IS NULL                  -- debuts, exits
           OR abs(h.model_prev_rank - h.rank_ordinal) >= min_move                      -- rank moves
           OR h.model_prev_rank = 1                                                    -- the previous #1 now
           OR (h.model_prev_as_of = h.board_prev AND h.model_prev_rank <= top_n)        -- overtaken
    ),
    ub_leaders AS (
        SELECT c.leaderboard, c.arena, c.category, c.style_control, c.as_of, count(*) AS holders
        FROM ctx AS c WHERE c.rank_ub = 1
        GROUP BY ALL
    ),
    leader_change AS (
        SELECT
            n.leaderboard, n.arena, n.category, n.style_control, n.as_of, n.model, n.name, n.board, n.rank_on_prev,
            n.rank_ub = 1 AND u.holders = 1 AS sole_ub,
            min(p.model) AS other_model,
            string_agg(DISTINCT p.name, ' and ' ORDER BY p.name) AS other_names,
            bool_or(n.rating_lower > o.rating_upper) AS beyond_ci
        FROM ctx AS n
        LEFT JOIN ub_leaders AS u
            ON u.leaderboard = n.leaderboard AND u.arena = n.arena AND u.category = n.category AND u.style_control = n.style_control
           AND u.as_of = n.as_of
        LEFT JOIN ctx AS p
            ON p.leaderboard = n.leaderboard AND p.arena = n.arena AND p.category = n.category AND p.style_control = n.style_control
           AND p.as_of = n.board_prev AND p.rank_ordinal = 1
        LEFT JOIN ctx AS o
            ON o.leaderboard = n.leaderboard AND o.arena = n.arena AND o.category = n.category AND o.style_control = n.style_control
           AND o.as_of = n.as_of AND o.model = p.model
        WHERE n.rank_ordinal = 1 AND n.as_of > n.first_as_of AND coalesce(n.rank_on_prev <> 1, true)
        GROUP BY ALL
    )
SELECT * FROM (
    SELECT as_of AS event_date, leaderboard, arena, category, style_control, 'new_leader' AS kind, model, name AS display_name,
           other_model, other_names AS other_display_name, rank_on_prev AS rank_before, 1 AS rank_after,
           coalesce(sole_ub, false) OR coalesce(beyond_ci, false) AS significant,
           name || ' became #1 on ' || board
               || coalesce(', taking over from ' || other_names, '')
               || CASE WHEN coalesce(sole_ub, false) OR coalesce(beyond_ci, false)
                       THEN ' - a lead beyond the confidence intervals.'
                       ELSE ' - the confidence intervals still overlap.' END AS sentence
    FROM leader_change

    UNION ALL BY NAME
    SELECT as_of AS event_date, leaderboard, arena, category, style_control, 'top_n_entry' AS kind, model, name AS display_name,
           rank_on_prev AS rank_before, rank_ordinal AS rank_after, false AS significant,
           name || ' entered the top ' || top_n || ' on ' || board || ' at #' || rank_ordinal
               || CASE WHEN model_prev_as_of IS NULL THEN ' (new on the board).'
                       WHEN rank_on_prev IS NULL THEN ' (not listed on the previous date).'
                       ELSE ' (from #' || rank_on_prev || ').' END AS sentence
    FROM ctx
    WHERE rank_ordinal <= top_n AND as_of > first_as_of AND coalesce(rank_on_prev > top_n, true)

    UNION ALL BY NAME
    SELECT board_next AS event_date, leaderboard, arena, category, style_control, 'top_n_exit' AS kind, model, name AS display_name,
           rank_ordinal AS rank_before,
           CASE WHEN model_next_as_of = board_next THEN model_next_rank END AS rank_after,
           false AS significant,
           name || ' dropped out of the top ' || top_n || ' on ' || board
               || CASE WHEN model_next_as_of = board_next THEN ': #' || rank_ordinal || ' -> #' || model_next_rank || '.'
                       ELSE ': was #' || rank_ordinal || ', then no longer listed.' END AS sentence
    FROM ctx
    WHERE rank_ordinal <= top_n AND board_next IS NOT NULL
      AND (model_next_as_of IS DISTINCT FROM board_next OR model_next_rank > top_n)

    UNION ALL BY NAME
    SELECT as_of AS event_date, leaderboard, arena, category, style_control, 'debut' AS kind, model, name AS display_name,
           NULL::INTEGER AS rank_before, rank_ordinal AS rank_after, false AS significant,
           name || ' debuted on ' || board || ' at #' || rank_ordinal
               || ' (rating ' || printf('%.0f', rating) || coalesce(', ' || votes || ' votes', '') || ').' AS sentence
    FROM ctx
    WHERE model_prev_as_of IS NULL AND as_of > first_as_of

    UNION ALL BY NAME
    SELECT board_next AS event_date, leaderboard, arena, category, style_control, 'exit' AS kind, model, name AS display_name,
           rank_ordinal AS rank_before, NULL::INTEGER AS rank_after, false AS significant,
           name || ' left ' || board || ': last listed on ' || strftime(as_of, '%Y-%m-%d') || ' at #' || rank_ordinal
               || ', absent from ' || strftime(board_next, '%Y-%m-%d') || ' on.' AS sentence
    FROM ctx
    WHERE model_next_as_of IS NULL AND board_next IS NOT NULL

    UNION ALL BY NAME
    SELECT as_of AS event_date, leaderboard, arena, category, style_control, 'rank_move' AS kind, model, name AS display_name,
           model_prev_rank AS rank_before, rank_ordinal AS rank_after,
           coalesce(ci_disjoint(rating_lower, rating_upper, model_prev_lower, model_prev_upper), false)
               OR coalesce(rank_ub <> model_prev_rank_ub, false) AS significant,
           name || CASE WHEN rank_ordinal < model_prev_rank THEN ' rose ' ELSE ' fell ' END
               || abs(model_prev_rank - rank_ordinal)
               || CASE WHEN abs(model_prev_rank - rank_ordinal) = 1 THEN ' place on ' ELSE ' places on ' END || board
               || ': #' || model_prev_rank || ' -> #' || rank_ordinal || '.' AS sentence
    FROM ctx
    WHERE model_prev_as_of IS NOT NULL AND abs(model_prev_rank - rank_ordinal) >= min_move

    UNION ALL BY NAME
    SELECT a.as_of AS event_date, a.leaderboard, a.arena, a.category, a.style_control, 'overtake' AS kind,
           a.model, a.name AS display_name, b.model AS other_model, b.name AS other_display_name,
           a.rank_on_prev AS rank_before, a.rank_ordinal AS rank_after, true AS significant,
           a.name || ' overtook ' || b.name || ' on ' || a.board || ': #' || a.rank_on_prev || ' vs #'
               || b.rank_on_prev || ' before, now #' || a.rank_ordinal || ' vs #' || b.rank_ordinal
               || ', with confidence intervals that no longer overlap.' AS sentence
    FROM ctx AS a
    JOIN ctx AS b
        ON b.leaderboard = a.leaderboard AND b.arena = a.arena AND b.category = a.category AND b.style_control = a.style_control
       AND b.as_of = a.as_of
    WHERE a.rank_ordinal <= top_n AND b.rank_on_prev <= top_n
      AND a.rank_on_prev > b.rank_on_prev AND a.rating_lower > b.rating_upper

    UNION ALL BY NAME
    SELECT m.event_date, m.leaderboard, m.arena, m.category, m.style_control, 'methodology' AS kind,
           NULL AS model, NULL AS display_name, NULL::INTEGER AS rank_before, NULL::INTEGER AS rank_after,
           true AS significant, m.title || ': ' || m.description AS sentence
    FROM methodology_events AS m
)
ORDER BY event_date, leaderboard NULLS FIRST, arena NULLS FIRST, category NULLS FIRST, style_control NULLS FIRST,
    CASE kind WHEN 'methodology' THEN 0 WHEN 'new_leader' THEN 1 WHEN 'overtake' THEN 2 WHEN 'top_n_entry' THEN 3
              WHEN 'top_n_exit' THEN 4 WHEN 'debut' THEN 5 WHEN 'rank_move' THEN 6 ELSE 7 END,
    rank_after NULLS LAST, model;
