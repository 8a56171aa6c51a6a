package dev.switchboard.inference.dup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Dispatchers judge only the candidates they are shown. Their verdicts move the boundary (what counts as
 * a probable duplicate) but never the order in which candidates are ranked.
 */
class CalibrationTest {

    /** Verdicts on shown pairs only: reworded reports confirmed, look-alike texts of other issues dismissed. */
    private static List<Calibration.Example> skewedVerdicts() {
        List<Calibration.Example> out = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            out.add(new Calibration.Example(0.82 + 0.003 * i, 0.05, false)); // same topic, other issue
            if (i % 3 == 0) out.add(new Calibration.Example(0.55, 0.60 + 0.005 * i, true)); // reworded, shared terms
        }
        return out;
    }

    @Test
    void verdictsMoveTheBoundaryButNotTheRanking() {
        Calibration d = Calibration.DEFAULT;
        Calibration fitted = Calibration.fit(d, skewedVerdicts());
        assertThat(fitted.feedbackCount()).isEqualTo(40);
        // a candidate close in meaning with few shared words ranks above one sharing more words but further in
        // meaning, as before the verdicts
        double semantic = fitted.fused(0.90, 0.10), lexical = fitted.fused(0.55, 0.40);
        assertThat(d.fused(0.90, 0.10)).isGreaterThan(d.fused(0.55, 0.40));
        assertThat(semantic).isGreaterThan(lexical);
        // the boundary moved: dismissed look-alikes are now less probable duplicates than before
        assertThat(fitted.probability(0.85, 0.05)).isLessThan(d.probability(0.85, 0.05) - 0.05);
        assertThat(fitted.fusedAt(0.5)).isNotEqualTo(d.fusedAt(0.5));
        // and more similarity still never means a less likely duplicate
        assertThat(fitted.probability(0.9, 0.5)).isGreaterThan(fitted.probability(0.8, 0.5));
        assertThat(fitted.probability(0.8, 0.6)).isGreaterThan(fitted.probability(0.8, 0.5));
    }

    @Test
    void withoutVerdictsTheDefaultStandsAndConfirmsLowerTheBoundary() {
        Calibration none = Calibration.fit(Calibration.DEFAULT, List.of());
        assertThat(none.bias()).isEqualTo(Calibration.DEFAULT.bias(), org.assertj.core.api.Assertions.within(1e-9));
        assertThat(none.wCos()).isEqualTo(Calibration.DEFAULT.wCos(), org.assertj.core.api.Assertions.within(1e-9));
        List<Calibration.Example> confirms = new ArrayList<>();
        for (int i = 0; i < 10; i++) confirms.add(new Calibration.Example(0.6, 0.1, true));
        Calibration c = Calibration.fit(Calibration.DEFAULT, confirms);
        assertThat(c.probability(0.6, 0.1)).isGreaterThan(Calibration.DEFAULT.probability(0.6, 0.1) + 0.1);
        assertThat(c.fusedAt(0.5)).isLessThan(Calibration.DEFAULT.fusedAt(0.5));
    }
}
