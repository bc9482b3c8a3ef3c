-- Submissions' checks run on the job engine (V24's scheduled_tasks): the check ready when it arrived, queued or left
-- running, of a submission under verification whose earlier checks have all passed, becomes its execution, due at
-- once; each passed check hands the next to the engine.
insert into scheduled_tasks (task_name, task_instance, execution_time, picked, consecutive_failures, version)
select 'verification-check', cast(c.id as varchar(100)), current_timestamp, false, 0, 1
from verification_check c
where c.state in ('QUEUED', 'RUNNING')
  and exists (select 1 from submission s where s.id = c.submission_id and s.state in ('RECEIVED', 'VERIFYING'))
  and not exists (select 1 from verification_check p where p.submission_id = c.submission_id
                  and p.position < c.position and (p.state <> 'SUCCEEDED' or p.passed = false));

-- The engine beats for running work (scheduled_tasks.last_heartbeat): the rows' own heartbeats go.
alter table scoring_job drop column heartbeat_at;
alter table scoring_task drop column heartbeat_at;
alter table distillation_job drop column heartbeat_at;
alter table verification_check drop column heartbeat_at;
