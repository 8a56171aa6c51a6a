package dev.switchboard.inference.dup;

import static dev.switchboard.inference.dup.DuplicateFinderTest.NOW;
import static dev.switchboard.inference.dup.DuplicateFinderTest.ids;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A verdict the dispatcher takes back: the pair is scored as if never judged. */
class DuplicateUndoTest {

    @Test
    void undoingADismissBringsThePairBackAndDropsItsCalibrationExample() {
        DuplicateFinder f = DuplicateFinderTest.finderWithPrinterPair();
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
        DuplicateFinder f = DuplicateFinderTest.finderWithPrinterPair();
        f.confirm("m1", "p1");
        assertThat(f.groups(java.util.List.of("p1", "m1"))).containsExactly(java.util.List.of("p1", "m1"));

        f.forget("m1", "p1");

        assertThat(f.isConfirmed("m1", "p1")).isFalse();
        assertThat(f.groups(java.util.List.of("p1", "m1"))).containsExactly(java.util.List.of("p1"), java.util.List.of("m1"));
        assertThat(f.calibration().feedbackCount()).isZero();
    }
}
