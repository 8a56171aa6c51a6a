package dev.switchboard.inference.dup;

import static dev.switchboard.inference.dup.DuplicateFinderTest.NOW;
import static dev.switchboard.inference.dup.DuplicateFinderTest.ids;
import static dev.switchboard.inference.dup.DuplicateFinderTest.t;
import static dev.switchboard.inference.dup.DuplicateFinderTest.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The look-back window can change while the finder runs. */
class DuplicateWindowTest {

    @Test
    void closedTicketsOlderThanTheWindowStopBeingCandidatesOpenOnesStay() {
        DuplicateFinder f = new DuplicateFinder(8);
        f.add(t("old-closed", "Printer jams on floor 3", "HP LaserJet error 13.2 paper jam"), v(0, 1, 0.05), NOW.minus(Duration.ofDays(10)), false);
        f.add(t("old-open", "Floor 3 printer jam again", "LaserJet 13.2 paper jam"), v(0, 1, 0.08), NOW.minus(Duration.ofDays(10)), true);
        f.add(t("new", "Paper jam floor 3 printer", "error 13.2 on the HP LaserJet"), v(0, 1, 0.1), NOW, true);
        assertThat(ids(f.candidates("new", NOW))).contains("old-closed", "old-open");

        f.setWindow(Duration.ofDays(7));

        assertThat(f.config().window()).isEqualTo(Duration.ofDays(7));
        assertThat(ids(f.candidates("new", NOW))).contains("old-open").doesNotContain("old-closed");
        assertThatThrownBy(() -> f.setWindow(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
