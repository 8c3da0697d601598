-- In the read copy board_dates becomes a table (materialise_board_dates.sql): drop the copied view first.
DROP VIEW publish_copy.board_dates;
