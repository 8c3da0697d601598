-- One model's ($model) events on every board (events view: becoming #1, entering or leaving the top 10,
-- debut, exit, moves of 10+ places, overtakes; as the model or the one overtaken): one row per event with its
-- board label, newest first.
SELECT event_date, board_label(leaderboard, arena, category, style_control) AS board, kind, rank_before, rank_after,
       significant, sentence
FROM events
WHERE model = $model OR other_model = $model
ORDER BY event_date DESC, board, kind;
