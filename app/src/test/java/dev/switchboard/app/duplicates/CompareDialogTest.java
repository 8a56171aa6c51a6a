package dev.switchboard.app.duplicates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.Workspace;
import dev.switchboard.app.ui.Background;
import dev.switchboard.inference.local.LocalModel;
import dev.switchboard.persistence.store.DuplicateLinks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class CompareDialogTest {

    @TempDir static Path dir;
    VpnReports reports;
    Workspace ws;
    DuplicateService dups;
    Background bg;
    Stage stage;
    long original;
    long duplicate;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        reports = VpnReports.open(dir.resolve("c" + System.nanoTime()));
        ws = reports.ws();
        dups = reports.dups();
        original = reports.original();
        duplicate = reports.duplicate();
        bg = new Background();
        stage.setScene(new Scene(new StackPane(new Label("queue")), 400, 300));
        stage.show();
    }

    @AfterEach
    void close() {
        bg.close();
        reports.close();
    }

    @Test
    void comparesSideBySideWithSharedTermsAndLinksWithOneKey(FxRobot robot) throws Exception {
        robot.interact(() -> CompareDialog.show(stage, dups, ws.store(), bg, "dana", duplicate));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#dup-score").tryQuery().isPresent()
                && robot.lookup(".shared-term").queryAll().size() > 0);
        assertThat(robot.lookup("#dup-score").queryAs(Label.class).getText()).contains("duplicate probability");
        assertThat(robot.lookup(".shared-term").queryAllAs(javafx.scene.text.Text.class))
                .extracting(t -> t.getText().toLowerCase()).contains("vpn");
        robot.clickOn("#dup-score"); // Monocle: give the compare window keyboard focus
        robot.type(KeyCode.L);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> dups.links().history(duplicate, original).stream()
                .anyMatch(l -> l.state().equals("CONFIRMED")));
        DuplicateLinks.Link confirmed = dups.links().history(duplicate, original).stream()
                .filter(l -> l.state().equals("CONFIRMED")).findFirst().orElseThrow();
        assertThat(confirmed.ticketId()).isEqualTo(duplicate);
        assertThat(confirmed.originalId()).isEqualTo(original);
        assertThat(confirmed.actor()).isEqualTo("dana");
    }

    @Test
    void enterAndSpaceGiveNoVerdictTheFocusRestsOnTheTextAndTheLettersStillAct(FxRobot robot) throws Exception {
        robot.interact(() -> CompareDialog.show(stage, dups, ws.store(), bg, "dana", duplicate));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup(".shared-term").tryQuery().isPresent());
        robot.clickOn("#dup-score"); // Monocle: give the compare window keyboard focus
        javafx.scene.Node focused = robot.lookup("#dup-score").query().getScene().getFocusOwner();
        // before: "Link as duplicate (L)" had the first focus, so Enter or Space linked the pair by accident
        assertThat(focused).as("the focus rests on the tickets' text, not on a button")
                .isInstanceOf(javafx.scene.control.ScrollPane.class);
        robot.type(KeyCode.ENTER);
        robot.type(KeyCode.SPACE);
        robot.type(KeyCode.TAB);
        robot.type(KeyCode.ENTER);
        robot.type(KeyCode.SPACE);
        robot.clickOn("#dup-link"); // a click acts, but leaves no button holding the focus for the next Enter
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> dups.links().history(duplicate, original).stream()
                .anyMatch(l -> l.state().equals("CONFIRMED")));
        robot.type(KeyCode.Z);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> dups.links().history(duplicate, original).stream()
                .anyMatch(l -> l.state().equals("UNDONE")));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup(".shared-term").tryQuery().isPresent());
        robot.type(KeyCode.ENTER);
        robot.type(KeyCode.SPACE);
        dups.awaitIdle();
        WaitForAsyncUtils.sleep(300, TimeUnit.MILLISECONDS);
        assertThat(dups.links().history(duplicate, original)).extracting(DuplicateLinks.Link::state)
                .as("Enter, Space and Tab gave no verdict; only the click linked").containsExactly("SUGGESTED", "CONFIRMED", "UNDONE");
        assertThat(robot.lookup("#dup-score").query().getScene().getWindow().isShowing()).as("Enter did not close it").isTrue();

        robot.type(KeyCode.X); // the letters still act
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> dups.links().history(duplicate, original).stream()
                .anyMatch(l -> l.state().equals("DISMISSED")));
        robot.type(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#dup-score").tryQuery().isEmpty());
    }

    @Test
    void aSharedTermIsHighlightedAlsoAtASentenceEndAndInsideAHyphenatedWord() {
        String text = "Error 809. Cannot reach the e-mail server from home. See dfs.namenode.name.dir, HADOOP-123.";
        var flow = CompareDialog.highlighted(text,
                java.util.Set.of("809", "mail", "server", "home", "dfs.namenode.name.dir", "hadoop-123"), false);
        // before: "809." and "home." (a word with the full stop after it) and "e-mail" were never marked
        assertThat(flow.getChildren()).filteredOn(n -> n.getStyleClass().contains("shared-term"))
                .extracting(n -> ((javafx.scene.text.Text) n).getText())
                .containsExactly("809", "mail", "server", "home", "dfs.namenode.name.dir", "HADOOP-123");
        assertThat(flow.getChildren().stream().map(n -> ((javafx.scene.text.Text) n).getText())
                .collect(java.util.stream.Collectors.joining())).as("the text itself unchanged").isEqualTo(text);
    }

    @Test
    void aLinkPressedBeforeTheTicketsAreReadStillMakesTheLaterTicketTheDuplicate(FxRobot robot) throws Exception {
        // the view opened on the original (the earlier report); its background is busy, as during an import
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        var busy = new java.util.concurrent.CountDownLatch(1);
        try {
            robot.interact(() -> {
                CompareDialog.show(stage, dups, ws.store(), bg, "dana", original);
                for (int i = 0; i < threads; i++) bg.run(null, () -> busy.await(60, TimeUnit.SECONDS), x -> { }, e -> { });
            });
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#dup-score").tryQuery().isPresent());
            assertThat(robot.lookup(".shared-term").tryQuery()).as("the pair is not read yet").isEmpty();
            robot.clickOn("#dup-score");
            robot.type(KeyCode.L);
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> dups.links().history(duplicate, original).stream()
                    .anyMatch(l -> l.state().equals("CONFIRMED")));
        } finally {
            busy.countDown();
        }
        DuplicateLinks.Link confirmed = dups.links().history(duplicate, original).stream()
                .filter(l -> l.state().equals("CONFIRMED")).findFirst().orElseThrow();
        // the later report is the duplicate of the earlier one, whichever of them the view was opened for
        assertThat(confirmed.ticketId()).isEqualTo(duplicate);
        assertThat(confirmed.originalId()).isEqualTo(original);
    }

    @Test
    void zUndoesADismissInTheViewAndThePairAwaitsAVerdictAgain(FxRobot robot) throws Exception {
        robot.interact(() -> CompareDialog.show(stage, dups, ws.store(), bg, "dana", duplicate));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup(".shared-term").tryQuery().isPresent());
        robot.clickOn("#dup-score");
        robot.type(KeyCode.X);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> dups.links().history(duplicate, original).stream()
                .anyMatch(l -> l.state().equals("DISMISSED")));
        dups.awaitIdle();
        assertThat(ws.store().rows(List.of(duplicate)).get(0).duplicates()).isZero();
        assertThat(dups.candidates(duplicate, 5)).noneMatch(c -> c.id().equals(Long.toString(original)));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#dup-score").queryAs(Label.class).getText()
                .startsWith("Every candidate has a verdict"));
        // nothing left to link, dismiss, merge or skip to: those buttons are off, Undo is on
        assertThat(List.of("#dup-link", "#dup-dismiss", "#dup-merge", "#dup-next"))
                .allMatch(id -> robot.lookup(id).queryButton().isDisabled());
        assertThat(robot.lookup("#dup-undo").queryButton().isDisabled()).isFalse();

        robot.type(KeyCode.Z);

        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> dups.links().history(duplicate, original).stream()
                .anyMatch(l -> l.state().equals("UNDONE")));
        assertThat(dups.links().history(duplicate, original)).extracting(DuplicateLinks.Link::state)
                .containsExactly("SUGGESTED", "DISMISSED", "UNDONE");
        assertThat(ws.store().rows(List.of(duplicate)).get(0).duplicates()).as("badge back").isEqualTo(1);
        assertThat(dups.links().pending(duplicate)).extracting(DuplicateLinks.Link::originalId).containsExactly(original);
        assertThat(dups.candidates(duplicate, 5).get(0).id()).isEqualTo(Long.toString(original));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#dup-history").queryAs(Label.class).getText()
                .contains("undone by dana"));
        assertThat(robot.lookup("#dup-score").queryAs(Label.class).getText()).startsWith("1 / 1");
        assertThat(robot.lookup("#dup-link").queryButton().isDisabled()).isFalse();
        assertThat(robot.lookup("#dup-history").queryAs(Label.class).getText()).containsPattern("dismissed by dana [^,]+, undone by dana");
    }

    @Test
    void mergeIntoAResolvedTicketIsRefusedAndAMergedTicketGetsNoFurtherVerdicts(FxRobot robot) throws Exception {
        var ledger = new dev.switchboard.persistence.store.DecisionLedger(ws.store());
        var resolve = ledger.decide(dev.switchboard.persistence.store.DecisionRequest.of(original,
                ws.store().rows(List.of(original)).get(0).version(), dev.switchboard.persistence.entity.DecisionKind.RESOLVED,
                null, null, null, "dana")).join();
        robot.interact(() -> CompareDialog.show(stage, dups, ws.store(), bg, "dana", duplicate));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup(".shared-term").tryQuery().isPresent());
        robot.clickOn("#dup-score");
        robot.type(KeyCode.M);
        // the new report would be closed with nobody working on it: refused, the pair still awaits a verdict
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> bg.messageProperty().get().contains("#" + original + " is resolved"));
        assertThat(bg.messageProperty().get()).contains("L links it");
        assertThat(ws.store().rows(List.of(duplicate)).get(0).status()).isEqualTo("NEW");
        assertThat(dups.links().history(duplicate, original)).extracting(DuplicateLinks.Link::state).containsExactly("SUGGESTED");
        assertThat(robot.lookup("#dup-score").queryAs(Label.class).getText()).startsWith("1 / 1");

        // the store refuses it too (a merge started before the view knew the status)
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> dups.links().merge(duplicate, original, 0.9, "dana").join())
                .hasMessageContaining("is resolved");

        // reopened, the original takes the merge; the merged ticket is closed and gets no further verdicts here,
        // though a second report of the outage (an earlier one) is still a candidate in the view
        robot.type(KeyCode.ESCAPE); // close this view
        ledger.undo(resolve.id(), "dana").join();
        long third = ws.store().saveTickets(List.of(new dev.switchboard.persistence.store.NewTicket("t", "3",
                "VPN disconnects from home", "The VPN keeps dropping when I work from home", "cy",
                java.time.Instant.now().minus(Duration.ofMinutes(30)), null, null)), "t").join().createdIds().get(0);
        dups.awaitIdle();
        robot.interact(() -> CompareDialog.show(stage, dups, ws.store(), bg, "dana", duplicate));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#dup-score").queryAs(Label.class).getText().contains("/ 2")
                && robot.lookup(".shared-term").tryQuery().isPresent());
        robot.clickOn("#dup-score");
        // the pair with the first report (the view shows the best candidate first; N moves on)
        java.util.function.Supplier<Boolean> showsOriginal = () -> robot.lookup(".text-muted").queryAllAs(Label.class).stream()
                .anyMatch(l -> l.getText().startsWith("#" + original + " · "));
        if (!showsOriginal.get()) robot.type(KeyCode.N);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, showsOriginal::get);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup(".shared-term").tryQuery().isPresent());
        robot.type(KeyCode.M);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> "CLOSED".equals(ws.store().rows(List.of(duplicate)).get(0).status()));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#dup-score").queryAllAs(Label.class).stream()
                .anyMatch(l -> l.getText().equals("#" + duplicate + " was merged into #" + original + ". Z undoes the merge, Esc closes.")));
        // its keys no longer give verdicts: the merged ticket is not merged or linked again behind the dispatcher's back
        robot.type(KeyCode.M).type(KeyCode.L).type(KeyCode.X);
        WaitForAsyncUtils.waitForFxEvents();
        dups.awaitIdle();
        assertThat(dups.links().history(duplicate, original)).extracting(DuplicateLinks.Link::state)
                .containsExactly("SUGGESTED", "MERGED");
        assertThat(dups.links().history(duplicate, third)).extracting(DuplicateLinks.Link::state).doesNotContain("MERGED", "CONFIRMED", "DISMISSED");
        assertThat(ws.store().detail(third).orElseThrow().updates()).as("nothing merged into the third report").isEmpty();
        // and the store refuses a second merge of it
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> dups.links().merge(duplicate, original, 0.9, "dana").join())
                .hasMessageContaining("already merged into #" + original);
    }

    @Test
    void aMergedPairIsNotOfferedForAnotherVerdict(FxRobot robot) throws Exception {
        dups.merge(duplicate, original, 0.9, "dana").join();
        dups.awaitIdle();
        // before: the view on the original offered the merged report again, and X appended "dismissed" to a pair
        // that stayed merged (closed, its text on the original); undoing that dismissal dropped the merged text
        assertThat(dups.plausibleCandidates(original, 5)).noneMatch(c -> c.id().equals(Long.toString(duplicate)));
        robot.interact(() -> CompareDialog.show(stage, dups, ws.store(), bg, "dana", original));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> ("No probable duplicates of #" + original).equals(bg.messageProperty().get()));
        assertThat(robot.lookup("#dup-score").tryQuery()).isEmpty();
        assertThat(dups.links().history(duplicate, original)).extracting(DuplicateLinks.Link::state).containsExactly("SUGGESTED", "MERGED");
    }

    @Test
    void onA1024By700ScreenTheViewAndItsButtonsAreOnTheScreen(FxRobot robot) throws Exception {
        var before = CompareDialog.usableArea;
        CompareDialog.usableArea = w -> new javafx.geometry.Rectangle2D(0, 0, 1024, 700);
        try {
            robot.interact(() -> CompareDialog.show(stage, dups, ws.store(), bg, "dana", duplicate));
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup(".shared-term").tryQuery().isPresent());
            WaitForAsyncUtils.waitForFxEvents();
            var view = (Stage) robot.lookup("#dup-next").query().getScene().getWindow();
            // before: 1100 wide, centred on the owner, both edges beyond the screen's
            assertThat(view.getX()).isGreaterThanOrEqualTo(0);
            assertThat(view.getX() + view.getWidth()).isLessThanOrEqualTo(1024);
            assertThat(view.getY() + view.getHeight()).isLessThanOrEqualTo(700);
            for (String id : List.of("#dup-undo", "#dup-link", "#dup-dismiss", "#dup-merge", "#dup-next")) {
                javafx.scene.Node b = robot.lookup(id).query();
                javafx.geometry.Bounds on = b.localToScreen(b.getBoundsInLocal());
                assertThat(on.getMinX()).as(id).isGreaterThanOrEqualTo(0);
                assertThat(on.getMaxX()).as(id).isLessThanOrEqualTo(1024);
            }
            robot.interact(view::close);
        } finally {
            CompareDialog.usableArea = before;
        }
    }

    @Test
    void aSlowDuplicateCheckNeverBlocksTheWindow(FxRobot robot) throws Exception {
        // every candidate goes through a "LLM" check that hangs until released
        dups.close();
        dups = new DuplicateService(ws.store(), new LocalModel(),
                new dev.switchboard.inference.dup.DuplicateFinder.Config(Duration.ofDays(30), true, 0.5, 10, 0.0, 1.0));
        dups.start().join();
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.List<Boolean> onFx = new java.util.concurrent.CopyOnWriteArrayList<>();
        dups.setIssueRewriter(new dev.switchboard.inference.dup.IssueRewriter() {
            @Override public String rewrite(dev.switchboard.inference.TicketText t) {
                return t.subject();
            }

            @Override public Verdict judge(String a, String b) {
                onFx.add(javafx.application.Platform.isFxApplicationThread());
                entered.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Verdict.SAME;
            }
        });
        try {
            robot.interact(() -> CompareDialog.show(stage, dups, ws.store(), bg, "dana", duplicate));
            assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();

            long t0 = System.nanoTime();
            robot.interact(() -> stage.setTitle("still responsive"));
            assertThat((System.nanoTime() - t0) / 1_000_000).as("FX thread free while the check hangs").isLessThan(1_000);
            assertThat(robot.lookup("#dup-score").tryQuery()).as("no dialog until the check answers").isEmpty();
            assertThat(bg.messageProperty().get()).startsWith("Looking for duplicates of #" + duplicate);
        } finally {
            release.countDown();
        }
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#dup-score").tryQuery().isPresent()
                && robot.lookup("#dup-score").queryAs(Label.class).getText().contains("LLM check: same issue"));
        assertThat(onFx).isNotEmpty().containsOnly(false);
    }
}
