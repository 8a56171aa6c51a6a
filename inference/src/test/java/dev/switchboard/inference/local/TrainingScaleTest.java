package dev.switchboard.inference.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The two rules that keep training time near linear in the history size, and leave small histories alone. */
class TrainingScaleTest {

    @Test
    void smallHistoriesKeepEveryHeldOutRowAndLargeOnesAStratifiedSample() {
        int[] rows = IntStream.range(0, 5_000).map(i -> i * 2).toArray();  // every other slot holds a ticket
        int[] labelOf = new int[10_000];
        for (int s = 0; s < labelOf.length; s++) labelOf[s] = s % 10 == 0 ? 1 : s % 500 == 0 ? 2 : 0; // 10 %, 0.4 %, rest
        assertThat(LocalModel.heldOutSample(rows, labelOf, 3, 5_000, 42)).isSameAs(rows);

        int[] sample = LocalModel.heldOutSample(rows, labelOf, 3, 1_000, 42);
        assertThat(sample.length).isBetween(998, 1_000);
        assertThat(sample).isSorted().doesNotHaveDuplicates();
        assertThat(Arrays.stream(sample).allMatch(s -> s % 2 == 0)).as("only ticket slots").isTrue();
        long ones = Arrays.stream(sample).filter(s -> labelOf[s] == 1).count();
        long twos = Arrays.stream(sample).filter(s -> labelOf[s] == 2).count();
        long onesAll = Arrays.stream(rows).filter(s -> labelOf[s] == 1).count();
        long twosAll = Arrays.stream(rows).filter(s -> labelOf[s] == 2).count();
        assertThat(ones).isBetween(onesAll / 5 - 1, onesAll / 5 + 1);              // each label keeps its share
        assertThat(twos).isBetween(twosAll / 5 - 1, twosAll / 5 + 1);
        assertThat(LocalModel.heldOutSample(rows, labelOf, 3, 1_000, 42)).containsExactly(sample);  // reproducible
    }

    @Test
    void epochsShrinkOnlyBeyondTheFullEpochSizeSoUpdatesStayAboutTheSame() {
        assertThat(LocalModel.epochsFor(8, 500)).isEqualTo(8);
        assertThat(LocalModel.epochsFor(8, LocalModel.FULL_EPOCHS_UP_TO)).isEqualTo(8);
        assertThat(LocalModel.epochsFor(8, 2 * LocalModel.FULL_EPOCHS_UP_TO)).isEqualTo(4);
        assertThat(LocalModel.epochsFor(8, 25_000) * 25_000L).isBetween(8L * LocalModel.FULL_EPOCHS_UP_TO,
                9L * LocalModel.FULL_EPOCHS_UP_TO + 25_000);
        assertThat(LocalModel.epochsFor(8, 1_000_000)).isEqualTo(2);
    }
}
