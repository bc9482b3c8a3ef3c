-- A counter raised in the transaction of every change to the leaderboard entries: board pages carry it in their
-- ETag, so a repeat reader gets 304 Not Modified (nothing rendered) until an entry changes, on any instance.
create table board_revision (
    id       integer primary key,
    revision bigint not null
);
insert into board_revision (id, revision) values (1, 0);
