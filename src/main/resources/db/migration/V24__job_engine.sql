-- The job engine's table (db-scheduler 16, docs/architecture.md#a-job-engine-for-the-fleet-issue-21): one row per
-- execution of a piece of work, named by its kind (task_name) and Bristle's row id (task_instance). The engine picks
-- a due row under optimistic locking (version), beats for it (last_heartbeat) while it runs, revives it when the
-- beats stop, and reschedules it with back-off when it fails. db-scheduler's PostgreSQL schema, with varchar names
-- instead of text, which H2 cannot index as a primary key; same SQL on H2 (PostgreSQL mode) and PostgreSQL.
create table scheduled_tasks (
    task_name            varchar(100) not null,
    task_instance        varchar(100) not null,
    task_data            bytea,
    execution_time       timestamp with time zone not null,
    picked               boolean not null,
    picked_by            varchar(50),
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures int,
    last_heartbeat       timestamp with time zone,
    version              bigint not null,
    priority             smallint,
    primary key (task_name, task_instance)
);
create index scheduled_tasks_execution_time_idx on scheduled_tasks (execution_time);
create index scheduled_tasks_last_heartbeat_idx on scheduled_tasks (last_heartbeat);
create index scheduled_tasks_priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc);

-- Distillation jobs under way when the engine arrived become its executions, due at once.
insert into scheduled_tasks (task_name, task_instance, execution_time, picked, consecutive_failures, version)
select 'distillation-job', cast(id as varchar(100)), current_timestamp, false, 0, 1
from distillation_job where state in ('QUEUED', 'RUNNING');
