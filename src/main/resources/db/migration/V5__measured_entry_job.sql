-- A measured leaderboard entry links to the scoring job that measured it (its students, settings and curves).
alter table leaderboard_entry add column scoring_job_id bigint references scoring_job (id);
