-- H2 hands out identity values from a cache of 32; fetching the next 32 commits the sequence, and with
-- WRITE_DELAY=0 each such commit writes every changed page of the open transaction to a new chunk. An
-- import of a million short rows grew the file past 8 GB (50,000 rows: 174 MB after closing, 14 MB with
-- a cache of 1,000) and ran at half the speed. A larger cache only leaves a gap in the ids after a crash.
alter table ticket alter column id set cache 1000;
alter table decision alter column id set cache 1000;
alter table suggestion alter column id set cache 1000;
alter table routing_step alter column id set cache 1000;
alter table ticket_update alter column id set cache 1000;
alter table duplicate_link alter column id set cache 1000;
