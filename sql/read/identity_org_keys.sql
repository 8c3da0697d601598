-- Every organisation: its key and display name, by key (`tracker alias org` accepts only these keys unless --new).
SELECT org_key, display_name FROM organizations ORDER BY org_key;
