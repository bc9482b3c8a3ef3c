-- A job's results keep every image's outcome (issue 24: per student, attack and mode the adversarial prediction,
-- correctness, passes and perturbation norm, and each student's clean predictions), which its evaluation record
-- serves: an official run on 10,000 test images holds more than the 10,000,000 characters V7 allowed.
alter table scoring_job alter column results set data type text;
