package dev.switchboard.inference.dup;

import static dev.switchboard.inference.dup.DuplicateFinderTest.NOW;
import static dev.switchboard.inference.dup.DuplicateFinderTest.ids;
import static dev.switchboard.inference.dup.DuplicateFinderTest.t;
import static dev.switchboard.inference.dup.DuplicateFinderTest.v;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A verdict the dispatcher takes back: the pair is scored as if never judged. */
class DuplicateUndoTest {

    private static DuplicateFinder finder() {
        DuplicateFinder f = new DuplicateFinder(8);
        f.add(t("p1", "Printer jams on floor 3", "HP LaserJet shows error 13.2 paper jam"), v(0, 1, 0.05), NOW.minus(Duration.ofDays(2)), true);
        f.add(t("p2", "Floor 3 printer paper jam", "error 13.2 again on the HP LaserJet"), v(0, 1, 0.1), NOW.minus(Duration.ofDays(1)), true);
        f.add(t("m1", "Mailbox full", "Outlook says quota exceeded"), v(4, 5, 0.1), NOW.minus(Duration.ofDays(1)), true);
        return f;
    }

    @Test
    void undoingADismissBringsThePairBackAndDropsItsCalibrationExample() {
        DuplicateFinder f = finder();
        double before = f.threshold();
        f.dismiss("p2", "p1");
        assertThat(ids(f.candidates("p2", NOW, 100))).doesNotContain("p1");
        assertThat(f.calibration().feedbackCount()).isEqualTo(1);

        f.forget("p1", "p2");

        assertThat(f.isDismissed("p2", "p1")).isFalse();
        assertThat(f.candidates("p2", NOW).get(0).id()).isEqualTo("p1");
        assertThat(f.candidates("p2", NOW).get(0).suggested()).isTrue();
        assertThat(f.calibration().feedbackCount()).isZero();
        assertThat(f.threshold()).isEqualTo(before);
    }

    @Test
    void undoingAConfirmUngroupsThePair() {
        DuplicateFinder f = finder();
        f.confirm("m1", "p1");
        assertThat(f.groups(java.util.List.of("p1", "m1"))).containsExactly(java.util.List.of("p1", "m1"));

        f.forget("m1", "p1");

        assertThat(f.isConfirmed("m1", "p1")).isFalse();
        assertThat(f.groups(java.util.List.of("p1", "m1"))).containsExactly(java.util.List.of("p1"), java.util.List.of("m1"));
        assertThat(f.calibration().feedbackCount()).isZero();
    }
}
