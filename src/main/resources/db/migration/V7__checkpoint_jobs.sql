-- A job evaluates either a pooled distilled set (training students on it) or a model-pool checkpoint as it is.
alter table scoring_job alter column dataset_id drop not null;
alter table scoring_job add column model_id bigint references pool_model (id);
alter table scoring_job add constraint ck_scoring_job_subject check ((dataset_id is null) <> (model_id is null));
-- A job's results carry per-student measurements and the run's provenance: more than the first 100,000 characters.
alter table scoring_job alter column results set data type varchar(10000000);
