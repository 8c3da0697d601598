-- One row: how many models, model aliases, organisations and organisation spellings the identity tables hold.
SELECT (SELECT count(*) FROM models),
       (SELECT count(*) FROM model_aliases),
       (SELECT count(*) FROM organizations),
       (SELECT count(*) FROM org_aliases);
