-- Fingerprint of the text a stored vector was computed from (null: not recorded). Lets a reader tell a
-- vector of a ticket's current text from one of an earlier text, e.g. before later comments were added.
alter table ticket_embedding add column text_hash varchar(64);
