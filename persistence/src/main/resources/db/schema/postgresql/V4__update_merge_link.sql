-- The duplicate_link row (state MERGED) of the merge that wrote this update ("Merged duplicate #N from …");
-- null for every other update. An undo of that merge appends an UNDONE row and deletes nothing, so readers of
-- the ticket's text (dataset export, the local model's history) use this link to leave the merged text out.
alter table ticket_update add column merge_link_id bigint;
alter table ticket_update add constraint fk_update_merge_link foreign key (merge_link_id) references duplicate_link (id);
-- Updates written by merges before this column: the merge's link has the same time, original and duplicate.
update ticket_update set merge_link_id = (
    select max(l.id) from duplicate_link l
    where l.state = 'MERGED' and l.original_id = ticket_update.ticket_id and l.created_at = ticket_update.created_at
      and ticket_update.body like concat('Merged duplicate #', l.ticket_id, ' from %'))
where body like 'Merged duplicate #%';
