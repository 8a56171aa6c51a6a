-- Nothing looks tickets up by content_hash (the importer finds a row by its external id); its index only cost
-- every insert a random B-tree write (see the H2 V7, where it doubled what an import wrote to the file).
drop index if exists ix_ticket_hash;
