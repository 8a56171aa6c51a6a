-- H2 only (V6 there raises the identity cache: each refill committed and rewrote the open transaction's
-- pages). A PostgreSQL sequence refill commits nothing, so its identities stay as they are.
select 1;
