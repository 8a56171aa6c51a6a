-- False for a ticket imported without a creation time: its created_at is then the import time, which says
-- nothing about when it was filed. Duplicate detection does not count such a closed ticket as recent (it
-- would otherwise suggest every new ticket as a duplicate of look-alike history for the next 30 days).
alter table ticket add column created_known boolean default true not null;
