-- stood_on(as_of, next_as_of, day): true when `as_of`, a complete date of a board whose next complete date is
-- `next_as_of` (null: none, it is the newest), is the board's newest complete date on or before `day` (a DATE;
-- null: now), i.e. as_of <= day < next_as_of. The board as it stood on a day, as plain filters on a row's own
-- board context: a subquery over board_dates picking the date cost ~1 ms of a 4-5 ms read at 1x. Rows of
-- partial snapshots carry the same context, so a caller that may meet them leaves them out (NOT partial).
CREATE OR REPLACE MACRO stood_on(as_of, next_as_of, day) AS
    as_of <= coalesce(CAST(day AS DATE), DATE '9999-12-31')
    AND coalesce(next_as_of > coalesce(CAST(day AS DATE), DATE '9999-12-31'), true);
