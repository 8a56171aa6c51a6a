package dev.switchboard.app.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.Workspace;
import dev.switchboard.app.duplicates.DuplicateService;
import dev.switchboard.app.duplicates.VpnReports;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javafx.scene.Scene;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The detail pane says which tickets a ticket probably duplicates, and which it was linked or merged with. */
@ExtendWith(ApplicationExtension.class)
class DetailDuplicatesTest {

    @TempDir static Path dir;
    VpnReports reports;
    Workspace ws;
    DuplicateService dups;
    TicketDetailView view;
    final AtomicLong opened = new AtomicLong(-1);
    long original;
    long duplicate;

    @Start
    void start(Stage stage) {
        reports = VpnReports.open(dir.resolve("d" + System.nanoTime()));
        ws = reports.ws();
        dups = reports.dups();
        original = reports.original();
        duplicate = reports.duplicate();
        view = new TicketDetailView(opened::set);
        stage.setScene(new Scene(view, 600, 700));
        stage.show();
    }

    @AfterEach
    void close() {
        reports.close();
    }

    private String shown(FxRobot robot, long id) {
        var d = ws.store().detail(id).orElseThrow();
        robot.interact(() -> view.show(d));
        VBox box = robot.lookup("#detail-duplicates").queryAs(VBox.class);
        if (!box.isVisible()) return "";
        StringBuilder text = new StringBuilder();
        for (var n : box.getChildren()) {
            if (n instanceof Label l) text.append(l.getText()).append('\n');
            else text.append(n.getAccessibleText()).append('\n');
        }
        return text.toString();
    }

    @Test
    void aProbableDuplicateIsNamedInThePaneAndOpensOnClick(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !ws.store().detail(duplicate).orElseThrow().duplicates().isEmpty());
        String text = shown(robot, duplicate);
        assertThat(text).contains("Probable duplicate — D compares side by side")
                .contains("Probably the same as #" + original + " VPN drops every 10 minutes")
                .containsPattern("· \\d+%");
        // the original's pane names the later report too
        assertThat(shown(robot, original)).contains("#" + duplicate + " VPN keeps disconnecting is probably the same as this");

        shown(robot, duplicate);
        robot.clickOn(robot.lookup("#detail-duplicates .duplicate-link").queryAs(Hyperlink.class));
        assertThat(opened.get()).isEqualTo(original);
    }

    @Test
    void aLinkOrMergeIsShownWithWhoAndADismissalHidesThePair(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !ws.store().detail(duplicate).orElseThrow().duplicates().isEmpty());
        dups.confirm(duplicate, original, 0.8, "dana").join();
        assertThat(shown(robot, duplicate)).startsWith("Duplicates — G shows the group")
                .contains("Linked as a duplicate of #" + original).contains("by dana");
        assertThat(shown(robot, original)).contains("#" + duplicate + " VPN keeps disconnecting is linked as a duplicate of this by dana");

        dups.merge(duplicate, original, 0.8, "erin").join();
        assertThat(shown(robot, original)).contains("was merged into this by erin");
        assertThat(shown(robot, duplicate)).contains("Merged into #" + original).contains("by erin");

        dups.undo(duplicate, original, "erin").join();
        assertThat(shown(robot, duplicate)).contains("Probable duplicate");
        dups.dismiss(duplicate, original, 0.8, "erin").join();
        assertThat(shown(robot, duplicate)).isEmpty();
        assertThat(robot.lookup("#detail-duplicates").queryAs(VBox.class).isManaged()).isFalse();
    }

    @Test
    void aPairWhoseOtherTicketWasMergedIntoAThirdNoLongerCountsInTheBadgeThePaneOrTheCompareView(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> ws.store().rows(List.of(duplicate)).get(0).duplicates() == 1);
        long third = ws.store().saveTickets(List.of(new dev.switchboard.persistence.store.NewTicket("t", "3",
                "Printer out of toner", "The printer on floor 3 needs a new cartridge", "cy", Instant.now(), null, null)), "t")
                .join().createdIds().get(0);
        dups.awaitIdle();
        List<Long> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        ws.store().addListener(new dev.switchboard.persistence.store.StoreListener() {
            @Override public void ticketsChanged(java.util.Collection<Long> ids) { told.addAll(ids); }
        });

        dups.merge(original, third, 0.9, "erin").join(); // the other side of the pair is merged elsewhere

        // before: the queue still showed "1×" on the later report and D offered the closed ticket
        assertThat(told).as("the pair's other ticket's row is refreshed").contains(duplicate);
        assertThat(ws.store().rows(List.of(duplicate)).get(0).duplicates()).as("badge, a few rows").isZero();
        assertThat(ws.store().queue().stream().filter(r -> r.id() == duplicate).findFirst().orElseThrow().duplicates())
                .as("badge, whole queue").isZero();
        String text = shown(robot, duplicate);
        assertThat(text).doesNotContain("Probable duplicate").startsWith("Duplicates — G shows the group")
                .contains("Probably the same as #" + original).contains("(merged into #" + third + ")");
        assertThat(dups.plausibleCandidates(duplicate, 5)).noneMatch(c -> c.id().equals(Long.toString(original)));
        assertThat(dups.links().group(duplicate)).as("G still shows where the report went").contains(original, third);

        told.clear();
        dups.undo(original, third, "erin").join(); // the merge taken back: the pair awaits a verdict again
        assertThat(told).contains(duplicate);
        assertThat(ws.store().rows(List.of(duplicate)).get(0).duplicates()).isEqualTo(1);
        assertThat(shown(robot, duplicate)).contains("Probable duplicate — D compares").doesNotContain("merged into");
    }

    @Test
    void aMajorIncidentsHundredsOfReportsShowAsTheBestFewAndACount(FxRobot robot) {
        var d = ws.store().detail(original).orElseThrow();
        List<dev.switchboard.persistence.store.TicketDetail.DuplicateView> many = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            many.add(new dev.switchboard.persistence.store.TicketDetail.DuplicateView(1000 + i, "VPN down again " + i, "NEW", false,
                    0.99 - i * 0.001, "SUGGESTED", null, Instant.now()));
        }
        var big = new dev.switchboard.persistence.store.TicketDetail(d.row(), d.body(), d.updates(), d.suggestion(), d.routing(), many, null);
        robot.interact(() -> view.show(big));
        VBox box = robot.lookup("#detail-duplicates").queryAs(VBox.class);
        assertThat(box.getChildren()).hasSize(1 + TicketDetailView.MAX_DUPLICATE_LINES);
        assertThat(((Label) box.getChildren().get(0)).getText()).startsWith("300 probable duplicates");
        assertThat(box.getChildren().get(1).getAccessibleText()).startsWith("#1000 VPN down again 0 is probably the same as this");
        assertThat(((Label) box.getChildren().get(TicketDetailView.MAX_DUPLICATE_LINES)).getText())
                .isEqualTo("… and 295 more — G shows them all in the queue");
    }
}
