-- Nothing looks tickets up by content_hash (the importer finds a row by its external id), yet the index on it
-- had to take every new ticket's SHA-256 at a random place: 500 imported rows rewrote about 500 of its leaf pages
-- per batch, half of what an import wrote to the file (50,000 short tickets: 241 MB written, 98 MB without it).
drop index if exists ix_ticket_hash;
