-- Scoring tasks run on the job engine (V24's scheduled_tasks): the tasks ready when it arrived, queued or left
-- running, of jobs under way whose earlier phases have all succeeded, become its executions, due at once. Later
-- phases are handed to the engine by the task that ends the phase before.
insert into scheduled_tasks (task_name, task_instance, execution_time, picked, consecutive_failures, version)
select 'scoring-task', cast(t.id as varchar(100)), current_timestamp, false, 0, 1
from scoring_task t
where t.state in ('QUEUED', 'RUNNING')
  and exists (select 1 from scoring_job j where j.id = t.job_id and j.state in ('QUEUED', 'RUNNING')
              and j.cancel_requested = false)
  and not exists (select 1 from scoring_task p where p.job_id = t.job_id and p.phase < t.phase
                  and p.state <> 'SUCCEEDED');
