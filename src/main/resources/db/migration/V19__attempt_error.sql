-- The error that ended a failed attempt: a task that fails with an unexpected error is retried, so its job's history
-- keeps each attempt's own reason, not only the last one.
alter table scoring_job_attempt add column error_message varchar(4000);
