-- Leaderboards: every board belongs to a publisher's leaderboard ('LMArena', 'Artificial Analysis' or one a
-- user declares in tracker.toml), so a board is (leaderboard, arena, category, style_control). Every row
-- stored before this migration is LMArena's (the default leaderboard, as in tracker/parsed.py); methodology
-- events are LMArena's changes of method. Alerts of a methodology change keep a null board but name the
-- leaderboard. Inserts name the column, so the defaults serve only the rows already stored.
ALTER TABLE snapshots ADD COLUMN leaderboard VARCHAR DEFAULT 'LMArena';
ALTER TABLE snapshots ALTER COLUMN leaderboard DROP DEFAULT;
ALTER TABLE board_identities ADD COLUMN leaderboard VARCHAR DEFAULT 'LMArena';
ALTER TABLE board_identities ALTER COLUMN leaderboard DROP DEFAULT;
ALTER TABLE methodology_events ADD COLUMN leaderboard VARCHAR DEFAULT 'LMArena';
ALTER TABLE alerts ADD COLUMN leaderboard VARCHAR DEFAULT 'LMArena';
ALTER TABLE alerts ALTER COLUMN leaderboard DROP DEFAULT;
