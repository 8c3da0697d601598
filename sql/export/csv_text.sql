-- csv_text(v): a text cell of a CSV export as a spreadsheet opens it safely: one starting with =, +, -, @, a tab
-- or a carriage return (a formula to spreadsheets) gets a leading ', unless it is a plain number such as -5 or
-- +1.5e3; any other text stays as it is. tracker.read.cells does the same for other CSV the tracker writes.
CREATE OR REPLACE TEMP MACRO csv_text(v) AS
    CASE
        WHEN regexp_matches(v, '^[=+\-@\t\r]')
             AND NOT regexp_matches(v, '^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$')
        THEN '''' || v
        ELSE v
    END
