-- The training recipe is part of an entry's identity: students trained adversarially (PGD-AT) are ranked apart from
-- standard ones, so a board is dataset x IPC x mode x protocol x recipe. Every row so far trained its students
-- the standard way.
alter table leaderboard_entry add column recipe varchar(16) default 'standard' not null;
alter table leaderboard_entry add constraint ck_leaderboard_entry_recipe check (recipe in ('standard', 'pgd-at'));

-- A measured entry's robust accuracy (the worst case over the attacks per image, mean over the students), so every
-- entry's improvement over its board's random-subset baseline can be shown for robust accuracy as for clean.
alter table leaderboard_entry add column robust_accuracy double precision;

alter table leaderboard_entry drop constraint uq_leaderboard_entry;
alter table leaderboard_entry add constraint uq_leaderboard_entry
    unique (dataset, ipc, mode, protocol, recipe, method, source, status);
drop index ix_leaderboard_entry_board;
create index ix_leaderboard_entry_board on leaderboard_entry (dataset, ipc, mode, protocol, recipe);
