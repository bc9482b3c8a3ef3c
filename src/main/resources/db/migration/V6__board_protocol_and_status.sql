-- A board is dataset x IPC x mode x protocol: BEARD's protocol (the published entries, and entries measured with it)
-- or Bristle's sound one. One table never ranks two protocols. Every row so far is BEARD's.
alter table leaderboard_entry add column protocol varchar(8) default 'beard' not null;
alter table leaderboard_entry add constraint ck_leaderboard_entry_protocol check (protocol in ('beard', 'sound'));

-- A measured entry is ranked only when its job ran its protocol's official settings; otherwise it is preliminary
-- (listed below the ranked rows, unranked, with what differs). A method keeps at most one entry of each status per
-- board, so a preliminary run never replaces a ranked one.
alter table leaderboard_entry add column status varchar(16) default 'ranked' not null;
alter table leaderboard_entry add constraint ck_leaderboard_entry_status check (status in ('ranked', 'preliminary'));
alter table leaderboard_entry add column status_reasons varchar(1000);

-- The spread of a measured CREI: an interval (bootstrap over students and test images) where one was computed.
alter table leaderboard_entry add column crei_low double precision;
alter table leaderboard_entry add column crei_high double precision;

alter table leaderboard_entry drop constraint uq_leaderboard_entry;
alter table leaderboard_entry add constraint uq_leaderboard_entry
    unique (dataset, ipc, mode, protocol, method, source, status);
drop index ix_leaderboard_entry_board;
create index ix_leaderboard_entry_board on leaderboard_entry (dataset, ipc, mode, protocol);
