package dev.switchboard.app;

import dev.switchboard.app.settings.Settings;
import dev.switchboard.app.ui.Background;
import dev.switchboard.app.ui.Theme;
import dev.switchboard.persistence.store.NewTicket;
import dev.switchboard.persistence.store.QueueRow;
import dev.switchboard.persistence.store.TaxonomyRow;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The real main window on a fresh H2 workspace with three teams and a decided history, shared by the
 * keyboard triage tests; also the history and the FX-thread helpers those tests read the window with.
 */
public final class TriageWindowFixture {

    /** Fifteen decided tickets, five a team: {team, subject, body}. */
    public static final String[][] HISTORY = {
            {"Network", "VPN disconnects every few minutes", "The VPN client drops the tunnel from home office"},
            {"Network", "Wi-Fi access point down on floor 2", "No wireless network signal near the kitchen"},
            {"Network", "Cannot reach intranet over VPN", "VPN connects but internal sites time out"},
            {"Network", "Network switch port dead", "Ethernet port at desk 14 has no link light"},
            {"Network", "Slow wireless in meeting room", "Wi-Fi very slow during calls in room B"},
            {"Desktop", "Laptop screen flickers", "The laptop display flickers when on battery"},
            {"Desktop", "Keyboard keys not working", "Several keys on my laptop keyboard stopped working"},
            {"Desktop", "Printer jams on every page", "The office printer jams paper on tray 2"},
            {"Desktop", "Docking station no display", "External monitors stay black on the dock"},
            {"Desktop", "Laptop battery drains fast", "Battery empties in one hour, laptop is new"},
            {"Identity", "Password reset needed", "I forgot my password and I am locked out"},
            {"Identity", "Account locked after login attempts", "My account got locked, please unlock it"},
            {"Identity", "Need access to finance share", "Please grant access rights to the finance folder"},
            {"Identity", "MFA token lost", "Lost my phone with the authenticator, cannot log in"},
            {"Identity", "New employee account", "Create a user account and mailbox for our new hire"},
    };

    /** The three teams of {@link #HISTORY}. */
    public static List<TaxonomyRow> teams() {
        return List.of(new TaxonomyRow("Network", "VPN, Wi-Fi, switches", 0),
                new TaxonomyRow("Desktop", "Laptops, printers, peripherals", 0),
                new TaxonomyRow("Identity", "Accounts, passwords, access", 0));
    }

    /** {@link #HISTORY} as decided tickets, oldest first, prioritised {@code even}, {@code odd}, {@code even}, … */
    static List<NewTicket> history(String even, String odd) {
        List<NewTicket> t = new ArrayList<>();
        for (int i = 0; i < HISTORY.length; i++) {
            t.add(new NewTicket("hist", "h" + i, HISTORY[i][1], HISTORY[i][2], "u" + i, Instant.now().minusSeconds(9000 - i),
                    HISTORY[i][0], i % 2 == 0 ? even : odd));
        }
        return t;
    }

    final Services services;
    final MainWindow window;

    private TriageWindowFixture(Services services, MainWindow window) {
        this.services = services;
        this.window = window;
    }

    /**
     * Opens a workspace named {@code prefix} + a fresh number in {@code dir} with {@link #teams()}, the given
     * priority levels and tickets, and shows the main window on it in {@code stage}.
     */
    static TriageWindowFixture show(Stage stage, Path dir, String prefix, List<TaxonomyRow> priorities, List<NewTicket> tickets) {
        Workspace ws = Workspace.open("jdbc:h2:file:" + dir.resolve(prefix + System.nanoTime()));
        ws.store().saveTaxonomy(teams(), priorities).join();
        ws.store().saveTickets(tickets, "test").join();
        Services services = new Services(ws, new Settings(dir.resolve("settings-" + System.nanoTime() + ".properties")));
        MainWindow window = new MainWindow(new Theme(), new Background());
        stage.setScene(window.scene());
        stage.show();
        window.attach(services);
        return new TriageWindowFixture(services, window);
    }

    void close() {
        window.close();
        window.background().close();
        services.close();
    }

    @SuppressWarnings("unchecked")
    static TableView<QueueRow> table(FxRobot robot) {
        return (TableView<QueueRow>) robot.lookup("#queue").queryAs(TableView.class);
    }

    /** Evaluates the condition on the FX thread, where the queue's lists live. */
    static void waitFor(int seconds, Callable<Boolean> c) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(c).get());
    }

    /**
     * Reads window state on the FX thread: a live update applied meanwhile (rows swapped, selection
     * restored, all in one FX runnable) is never seen half done, as it can be from the test thread.
     */
    static <T> T onFx(Callable<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get();
    }
}
