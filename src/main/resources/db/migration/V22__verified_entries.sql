-- A measured entry made by a verified submission: the submission, and what verification recomputed (one line per
-- check: on how many images, with what agreement), shown on the entry page beside the "verified" badge.
alter table leaderboard_entry add column submission_id bigint references submission (id);
alter table leaderboard_entry add column verification varchar(4000);
