-- Row counts of the data tables and of the fetch log: one row (standings, snapshots, raw_payloads, fetches).
SELECT (SELECT count(*) FROM standings) AS standings,
       (SELECT count(*) FROM snapshots) AS snapshots,
       (SELECT count(*) FROM raw_payloads) AS raw_payloads,
       (SELECT count(*) FROM fetches) AS fetches;
