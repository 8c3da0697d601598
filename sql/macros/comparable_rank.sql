-- comparable_rank(partial, own, published, meaning, kind): the rank of one row that can be compared
-- across snapshots. On a complete snapshot the tracker's own rank (`own`); on a partial one (a few rows
-- of a board) the computed rank means nothing, so the published rank stands in when the source published
-- that kind of rank (`meaning` = `kind`: 'ordinal' or 'ub'), else null. One value per call.
CREATE OR REPLACE MACRO comparable_rank(partial, own, published, meaning, kind) AS
    CASE WHEN NOT partial THEN own WHEN meaning = kind THEN published END;
