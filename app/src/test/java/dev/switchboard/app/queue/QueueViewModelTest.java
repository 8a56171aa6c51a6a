package dev.switchboard.app.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.persistence.store.QueueRow;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueueViewModelTest {

    private static QueueRow row(long id, String subject, String status, String team, String suggested) {
        return new QueueRow(id, "x" + id, "t", subject, "req", Instant.EPOCH.plusSeconds(id), Instant.EPOCH.plusSeconds(id),
                status, team, null, team == null ? null : "HUMAN", suggested, null, 0.5, false, 0, 0, null, null);
    }

    private static QueueRow snoozed(long id, Instant until) {
        return new QueueRow(id, "x" + id, "t", "Snoozed " + id, "req", Instant.EPOCH.plusSeconds(id), Instant.EPOCH.plusSeconds(id),
                "SNOOZED", null, null, null, "Network", null, 0.5, false, 0, 0, null, null, until);
    }

    @Test
    void aSnoozedTicketLeavesTheOpenQueueUntilItsSnoozeIsOver() {
        Instant now = Instant.parse("2026-03-02T09:00:00Z");
        Instant[] clock = {now};
        QueueViewModel m = new QueueViewModel(() -> clock[0]);
        m.setAll(List.of(row(1, "VPN down", "NEW", null, "Network"), snoozed(2, now.plusSeconds(3600)),
                snoozed(3, now.minusSeconds(60))));
        // #2 is snoozed for another hour; #3's snooze is over, so it is back
        assertThat(m.visibleRows()).extracting(QueueRow::id).containsExactly(1L, 3L);
        assertThat(m.openCountProperty().get()).isEqualTo(3);
        m.statusProperty().set("SNOOZED");
        assertThat(m.visibleRows()).extracting(QueueRow::id).containsExactly(2L, 3L);
        m.statusProperty().set(QueueViewModel.STATUS_OPEN);

        // a live snooze takes the row out at once
        m.upsert(List.of(snoozed(1, now.plusSeconds(600))));
        assertThat(m.visibleRows()).extracting(QueueRow::id).containsExactly(3L);

        // and the snooze ending brings it back without any change to the row
        clock[0] = now.plusSeconds(601);
        assertThat(m.wakeSnoozed()).isEqualTo(1);
        assertThat(m.visibleRows()).extracting(QueueRow::id).containsExactly(1L, 3L);
        assertThat(m.wakeSnoozed()).isZero();
        clock[0] = now.plusSeconds(3601);
        assertThat(m.wakeSnoozed()).isEqualTo(1);
        assertThat(m.visibleRows()).extracting(QueueRow::id).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aDuplicateGroupShowsOnlyItsTicketsUntilFiltersAreCleared() {
        QueueViewModel m = new QueueViewModel();
        m.setAll(List.of(row(1, "VPN down", "NEW", null, "Network"), row(2, "VPN broken", "NEW", null, "Network"),
                row(3, "Printer", "NEW", null, "Desktop"), row(4, "VPN again", "RESOLVED", "Network", null)));
        assertThat(m.visibleRows()).extracting(QueueRow::id).containsExactly(1L, 2L, 3L);
        m.showGroup(List.of(1L, 2L, 4L));
        assertThat(m.visibleRows()).extracting(QueueRow::id).containsExactly(1L, 2L, 4L);
        m.clearFilters();
        assertThat(m.visibleRows()).extracting(QueueRow::id).containsExactly(1L, 2L, 3L);
    }

    @Test
    void searchMatchesEachFieldFollowsLiveChangesAndNeverSpansTwoFields() {
        QueueViewModel m = new QueueViewModel();
        m.setAll(List.of(row(1, "Printer jam", "NEW", null, "Desktop"), row(2, "VPN down", "NEW", null, "Network")));
        m.searchProperty().set("JAM");
        assertThat(m.visibleRows()).extracting(QueueRow::id).containsExactly(1L);
        m.searchProperty().set("x2");                     // external id
        assertThat(m.visibleRows()).extracting(QueueRow::id).containsExactly(2L);
        m.searchProperty().set("netw");                   // suggested team
        assertThat(m.visibleRows()).extracting(QueueRow::id).containsExactly(2L);
        m.searchProperty().set("jamreq");                 // end of subject + start of requester
        assertThat(m.visibleRows()).isEmpty();
        m.searchProperty().set("toner");
        assertThat(m.visibleRows()).isEmpty();
        m.upsert(List.of(row(1, "Toner empty", "NEW", "Facilities", null)));
        assertThat(m.visibleRows()).extracting(QueueRow::id).containsExactly(1L);
        m.searchProperty().set("jam");
        assertThat(m.visibleRows()).isEmpty();
        m.searchProperty().set("facil");                  // the team set by the update
        assertThat(m.visibleRows()).extracting(QueueRow::id).containsExactly(1L);
    }

    @Test
    void liveUpdatesKeepSortOrderAndFilters() {
        QueueViewModel m = new QueueViewModel();
        m.setAll(List.of(row(1, "b", "NEW", null, null), row(2, "a", "NEW", null, null)));
        m.sort(java.util.Comparator.comparing(QueueRow::subject));
        assertThat(m.visibleRows()).extracting(QueueRow::subject).containsExactly("a", "b");
        m.upsert(List.of(row(3, "aa", "NEW", null, null), row(1, "b", "CLOSED", null, null)));
        assertThat(m.visibleRows()).extracting(QueueRow::subject).containsExactly("a", "aa");
        assertThat(m.openCountProperty().get()).isEqualTo(2);
        assertThat(m.totalProperty().get()).isEqualTo(3);
    }

    @Test
    void filtersSortsAndLiveUpdatesInAnyOrderShowWhatAFullRecomputationShows() {
        java.util.Random rnd = new java.util.Random(7);
        String[] subjects = {"VPN down", "printer jam", "Outlook", "vpn slow", "Access request", "laptop", "Printer offline"};
        String[] statuses = {"NEW", "TRIAGED", "RESOLVED", "CLOSED", "SNOOZED"};
        String[] teams = {null, "Network", "Desktop", "Identity"};
        java.util.Map<Long, QueueRow> truth = new java.util.TreeMap<>();
        List<QueueRow> initial = new java.util.ArrayList<>();
        for (long id = 1; id <= 300; id++) {
            QueueRow r = row(id, subjects[rnd.nextInt(subjects.length)], statuses[rnd.nextInt(statuses.length)],
                    teams[rnd.nextInt(teams.length)], teams[rnd.nextInt(teams.length)]);
            truth.put(id, r);
            initial.add(r);
        }
        QueueViewModel m = new QueueViewModel();
        m.setAll(initial);
        List<java.util.Comparator<QueueRow>> orders = List.of(
                java.util.Comparator.comparing(QueueRow::subject, String.CASE_INSENSITIVE_ORDER),
                java.util.Comparator.comparing(QueueViewModel::effectiveTeam, java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder())),
                java.util.Comparator.comparing(QueueRow::status).reversed());
        java.util.Comparator<QueueRow> order = QueueViewModel.DEFAULT_ORDER;
        long next = 301;
        for (int step = 0; step < 400; step++) {
            switch (rnd.nextInt(6)) {
                case 0 -> {
                    java.util.Comparator<QueueRow> c = rnd.nextInt(4) == 0 ? null : orders.get(rnd.nextInt(orders.size()));
                    m.sort(c);
                    order = c == null ? QueueViewModel.DEFAULT_ORDER : c.thenComparing(QueueViewModel.DEFAULT_ORDER);
                }
                case 1 -> m.searchProperty().set(rnd.nextBoolean() ? "" : subjects[rnd.nextInt(subjects.length)].substring(0, 3));
                case 2 -> m.statusProperty().set(rnd.nextBoolean() ? QueueViewModel.STATUS_OPEN
                        : rnd.nextBoolean() ? QueueViewModel.STATUS_ALL : statuses[rnd.nextInt(statuses.length)]);
                case 3 -> m.teamProperty().set(rnd.nextBoolean() ? QueueViewModel.ANY : teams[1 + rnd.nextInt(teams.length - 1)]);
                default -> { // live updates: changed rows and new ones
                    List<QueueRow> changed = new java.util.ArrayList<>();
                    for (int k = 0; k < 1 + rnd.nextInt(5); k++) {
                        long id = rnd.nextInt(10) == 0 ? next++ : 1 + rnd.nextInt((int) (next - 1));
                        QueueRow r = row(id, subjects[rnd.nextInt(subjects.length)], statuses[rnd.nextInt(statuses.length)],
                                teams[rnd.nextInt(teams.length)], teams[rnd.nextInt(teams.length)]);
                        truth.put(id, r);
                        changed.add(r);
                    }
                    m.upsert(changed);
                }
            }
            var keep = m.predicate();
            List<Long> expected = truth.values().stream().filter(keep).sorted(order).map(QueueRow::id).toList();
            assertThat(m.visibleRows()).as("step %d", step).extracting(QueueRow::id).containsExactlyElementsOf(expected);
        }
    }
}
