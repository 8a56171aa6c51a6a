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
}
