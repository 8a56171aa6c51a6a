package dev.switchboard.app.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.app.Workspace;
import dev.switchboard.persistence.store.UnansweredSuggestions;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The suggestion-quality figures on a real ledger whose answer is worked out by hand in {@link QualityFixture}. */
class QualityServiceTest {

    @TempDir Path dir;

    @Test
    void figuresMatchTheLedger() {
        try (Workspace ws = QualityFixture.create(dir)) {
            QualityReport r = QualityService.of(ws).compute(null, null, null, null);
            assertThat(r.answered()).isEqualTo(6);
            assertThat(r.accepted()).isEqualTo(4);
            assertThat(r.bulkAccepted()).isEqualTo(1);
            assertThat(r.teamKept()).isEqualTo(5);
            assertThat(r.transferredLater()).isEqualTo(1);
            assertThat(r.keptThenTransferred()).isEqualTo(1);
            assertThat(r.meanTeams()).isCloseTo(7 / 6.0, within(1e-9)); // one transfer over six tickets
            assertThat(r.team().accuracy()).isCloseTo(4 / 6.0, within(1e-9));
            assertThat(r.team().hitAt3()).isEqualTo(1.0);
            assertThat(r.team().thresholdCoverage()).isCloseTo(0.5, within(1e-9));
            assertThat(r.team().thresholdPrecision()).isCloseTo(2 / 3.0, within(1e-9));
            assertThat(r.priority().accuracy()).isCloseTo(5 / 6.0, within(1e-9));
            assertThat(r.engines()).isEqualTo(Map.of("local", 5L, "llm", 1L));
            assertThat(r.reasons()).isEqualTo(Map.of("wrong-team", 1L, "wrong-priority", 1L));
            assertThat(r.confusions()).extracting(QualityReport.Confusion::suggested, QualityReport.Confusion::actual,
                    QualityReport.Confusion::count).containsExactly(org.assertj.core.groups.Tuple.tuple("Desktop", "Identity", 1),
                    org.assertj.core.groups.Tuple.tuple("Network", "Desktop", 1));
            // each wrong call names its tickets: the third and the second of the fixture
            List<Long> ids = ws.store().queue().stream().map(q -> q.id()).sorted().toList();
            assertThat(r.confusions().get(0).tickets()).containsExactly(ids.get(2));
            assertThat(r.confusions().get(1).tickets()).containsExactly(ids.get(1));
            // confidence bins: .5 (right), .6 (wrong), .7 (right), .8 (right), .9 (one right, one wrong)
            assertThat(r.reliability()).extracting(b -> b.n()).containsExactly(1, 1, 1, 1, 2);
            assertThat(r.reliability().get(4).accuracy()).isEqualTo(0.5);
            assertThat(r.medianMsAccepted()).isEqualTo(2000L); // bulk accepts nobody reviewed are not timed
            assertThat(r.weeks()).singleElement().satisfies(w -> {
                assertThat(w.answered()).isEqualTo(6);
                assertThat(w.right()).isEqualTo(4);
            });
            assertThat(QualityView.teamRows(r.team())).extracting(QualityView.TeamRow::team, QualityView.TeamRow::finalCount,
                    QualityView.TeamRow::suggested).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("Desktop", 2, 2), org.assertj.core.groups.Tuple.tuple("Identity", 2, 1),
                    org.assertj.core.groups.Tuple.tuple("Network", 2, 3));
        }
    }

    @Test
    void engineAndPeriodFilterTheAnswers() {
        try (Workspace ws = QualityFixture.create(dir)) {
            QualityService svc = QualityService.of(ws);
            QualityReport llm = svc.compute(null, null, "llm", null);
            assertThat(llm.answered()).isEqualTo(1);
            assertThat(llm.team().accuracy()).isEqualTo(1.0);
            QualityReport future = svc.compute(Instant.now().plus(1, ChronoUnit.DAYS), null, null, null);
            assertThat(future.answered()).isZero();
            assertThat(future.acceptanceRate()).isNaN();
            assertThat(svc.compute(Instant.now().minus(1, ChronoUnit.DAYS), null, null, null).answered()).isEqualTo(6);
            assertThatThrownBy(() -> svc.compute(Instant.now(), Instant.now().minus(1, ChronoUnit.DAYS), null, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("period is empty");
            assertThatThrownBy(() -> svc.compute(null, null, null, () -> true)).isInstanceOf(CancellationException.class);
        }
    }

    @Test
    void countsTheSuggestedTicketsNobodyAnsweredForTheSamePeriodAndEngine() {
        try (Workspace ws = QualityFixture.create(dir)) {
            QualityService svc = QualityService.of(ws);
            QualityReport r = svc.compute(null, null, null, null);
            assertThat(r.answered()).isEqualTo(6); // the unanswered tickets change none of the answered figures
            assertThat(r.unanswered()).isEqualTo(new UnansweredSuggestions(3, 2, 1, 0));
            assertThat(r.suggested()).isEqualTo(11);
            assertThat(r.answeredShare()).isCloseTo(6 / 11.0, within(1e-9));
            assertThat(r.answeredSummary()).isEqualTo("Answered 6 of 11 suggested tickets (54.5%); not answered: 3 still waiting "
                    + "for a decision, 2 closed without a decision (1 of them merged as duplicates).");

            QualityReport local = svc.compute(null, null, "local", null);
            assertThat(local.answered()).isEqualTo(5);
            assertThat(local.unanswered()).isEqualTo(new UnansweredSuggestions(2, 2, 1, 0));
            assertThat(local.answeredSummary()).startsWith("Answered 5 of 9 suggested tickets (55.6%)");
            QualityReport llm = svc.compute(null, null, "llm", null);
            assertThat(llm.unanswered()).isEqualTo(new UnansweredSuggestions(1, 0, 0, 0));
            assertThat(llm.answeredSummary()).isEqualTo("Answered 1 of 2 suggested tickets (50.0%); not answered: 1 still waiting "
                    + "for a decision.");

            assertThat(svc.compute(Instant.now().minus(1, ChronoUnit.DAYS), null, null, null).unanswered()).isEqualTo(r.unanswered());
            QualityReport future = svc.compute(Instant.now().plus(1, ChronoUnit.DAYS), null, null, null);
            assertThat(future.unanswered()).isEqualTo(UnansweredSuggestions.NONE);
            assertThat(future.suggested()).isZero();
            assertThat(future.answeredShare()).isNaN();
            assertThat(svc.compute(null, Instant.now().minus(1, ChronoUnit.DAYS), null, null).suggested()).isZero();
        }
    }
}
