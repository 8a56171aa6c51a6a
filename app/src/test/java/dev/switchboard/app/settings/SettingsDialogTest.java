package dev.switchboard.app.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.app.Services;
import dev.switchboard.app.Workspace;
import dev.switchboard.app.ui.Background;
import dev.switchboard.inference.llm.LlmEngine;
import dev.switchboard.persistence.store.TaxonomyRow;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Labeled;
import javafx.scene.control.PasswordField;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
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

/** File › Settings on a real database: dispatcher, intake toggle, LLM test connection without leaking the key. */
@ExtendWith(ApplicationExtension.class)
class SettingsDialogTest {

    static final String SECRET = "sk-test-SECRET-4242-abcdef";

    @TempDir static Path dir;
    Stage owner;
    Services services;
    Background background;
    Path settingsFile;
    HttpServer llm;

    @Start
    void start(Stage stage) {
        Path data = dir.resolve("data-" + System.nanoTime());
        Workspace ws = Workspace.open("jdbc:h2:file:" + data.resolve("db"));
        ws.store().saveTaxonomy(List.of(new TaxonomyRow("Network", "VPN, Wi-Fi", 0)), List.of(new TaxonomyRow("P2", "", 2))).join();
        settingsFile = data.resolve("settings.properties");
        services = new Services(ws, new Settings(settingsFile));
        background = new Background();
        owner = stage;
        stage.setScene(new Scene(new StackPane(), 300, 200));
        stage.show();
    }

    @AfterEach
    void close() {
        if (llm != null) llm.stop(0);
        IntakeControl.shutdown(services);
        background.close();
        services.close();
    }

    private static void waitFor(int seconds, Callable<Boolean> c) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(c).get());
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
    }

    private SettingsDialog open() throws Exception {
        return fx(() -> {
            SettingsDialog d = SettingsDialog.create(owner, services, background, null);
            d.stage().show();
            return d;
        });
    }

    private static void tab(FxRobot robot, SettingsDialog d, String id) {
        robot.interact(() -> {
            TabPane tabs = (TabPane) d.stage().getScene().lookup(".tab-pane");
            tabs.getSelectionModel().select(tabs.getTabs().stream().filter(t -> id.equals(t.getId())).findFirst().orElseThrow());
        });
    }

    @SuppressWarnings("unchecked")
    private static <T extends Node> T node(SettingsDialog d, String id) {
        return (T) d.stage().getScene().lookup(id);
    }

    @Test
    void dispatcherNameIsSaved(FxRobot robot) throws Exception {
        SettingsDialog d = open();
        TextField name = node(d, "#settings-dispatcher");
        robot.interact(name::clear);
        robot.clickOn(name);
        robot.write("Dana Dispatcher");
        assertThat(services.duplicates().windowDays()).isEqualTo(30);
        javafx.scene.control.Spinner<Integer> window = node(d, "#settings-duplicate-window");
        robot.interact(() -> window.getEditor().setText("7"));
        robot.clickOn("#settings-ok");
        waitFor(20, () -> !d.stage().isShowing());
        assertThat(services.settings().dispatcher()).isEqualTo("Dana Dispatcher");
        assertThat(services.duplicates().windowDays()).as("applies at once").isEqualTo(7);
        assertThat(new Settings(settingsFile).get("duplicates.windowDays", null)).isEqualTo("7");
        assertThat(new Settings(settingsFile).dispatcher()).isEqualTo("Dana Dispatcher");
        assertThat(new Settings(settingsFile).get("engine.mode", null)).isEqualTo("local");
    }

    @Test
    void intakeToggleStartsAndStopsTheServer(FxRobot robot) throws Exception {
        SettingsDialog d = open();
        tab(robot, d, "settings-intake");
        TextField port = node(d, "#intake-port");
        robot.interact(() -> port.setText("0"));
        robot.clickOn("#intake-toggle");
        IntakeControl intake = IntakeControl.of(services);
        waitFor(20, intake::isRunning);
        waitFor(10, () -> ((Labeled) node(d, "#intake-url")).getText().startsWith("http://127.0.0.1:"));
        int p = intake.port();

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p + "/api/health")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);

        // The token is masked on screen: only the last four characters show.
        String token = Files.readString(intake.tokenFile()).strip();
        String shown = fx(() -> ((Labeled) node(d, "#intake-token")).getText());
        assertThat(shown).endsWith(token.substring(token.length() - 4)).doesNotContain(token.substring(0, 8));
        assertThat(fx(() -> allText(d.stage().getScene().getRoot()))).doesNotContain(token);
        assertThat(new Settings(settingsFile).get("intake.enabled", null)).isEqualTo("true");

        robot.clickOn("#intake-toggle");
        waitFor(20, () -> !intake.isRunning());
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p + "/api/health")).GET().build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);
        assertThat(new Settings(settingsFile).get("intake.enabled", null)).isEqualTo("false");
        robot.interact(() -> d.stage().close());
    }

    private interface Request {
        void seen(HttpExchange ex) throws java.io.IOException;
    }

    /**
     * Starts {@link #llm}, an OpenAI-compatible server that hands each chat request to {@code request} (which reads
     * its body) and answers team Network, priority P2, confidence 0.8.
     */
    private void serveLlm(Request request) throws java.io.IOException {
        llm = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        llm.createContext("/v1/chat/completions", ex -> {
            request.seen(ex);
            String content = "{\\\"team\\\":\\\"Network\\\",\\\"priority\\\":\\\"P2\\\",\\\"confidence\\\":0.8,\\\"rationale\\\":\\\"x\\\"}";
            byte[] reply = ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"test-model\","
                    + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + content + "\"},"
                    + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":10,\"total_tokens\":20}}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, reply.length);
            ex.getResponseBody().write(reply);
            ex.close();
        });
        llm.start();
    }

    @Test
    void testConnectionShowsLatencyAndReplyAndTheKeyOnlyLeavesInTheHeader(FxRobot robot) throws Exception {
        List<String> auth = new CopyOnWriteArrayList<>();
        List<String> bodies = new CopyOnWriteArrayList<>();
        serveLlm(ex -> {
            auth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        });
        String base = "http://127.0.0.1:" + llm.getAddress().getPort() + "/v1";

        SettingsDialog d = open();
        tab(robot, d, "settings-engine");
        robot.interact(() -> {
            ((RadioButton) node(d, "#engine-llm")).setSelected(true);
            ((TextField) node(d, "#engine-base-url")).setText(base);
            ((TextField) node(d, "#engine-model")).setText("test-model");
            ((TextField) node(d, "#engine-key-env")).setText("SWITCHBOARD_TEST_NO_SUCH_VARIABLE");
        });
        robot.clickOn("#engine-key");
        robot.write(SECRET);
        assertThat(fx(() -> ((PasswordField) node(d, "#engine-key")).getText())).isEqualTo(SECRET);

        robot.clickOn("#engine-test");
        waitFor(30, () -> ((Labeled) node(d, "#engine-test-result")).getText().startsWith("Connected"));
        String result = fx(() -> ((Labeled) node(d, "#engine-test-result")).getText());
        assertThat(result).matches("Connected in \\d+ ms\\. Reply: team Network, priority P2, confidence 0\\.80\\. x");

        // The key went out in the Authorization header only.
        assertThat(auth).isNotEmpty().allMatch(("Bearer " + SECRET)::equals);
        assertThat(bodies).isNotEmpty().noneMatch(b -> b.contains(SECRET));
        assertThat(String.join("\n", bodies)).contains("VPN disconnects every few minutes"); // the synthetic sample

        // The egress ledger recorded the request, without text.
        EgressLedger ledger = EngineControl.of(services).ledger();
        waitFor(10, () -> ledger.entries().size() >= 1);
        EgressLedger.Entry e = fx(() -> ledger.entries().get(0));
        assertThat(e.endpoint()).isEqualTo(base + "/chat/completions");
        assertThat(e.model()).isEqualTo("test-model");
        assertThat(e.outcome()).isEqualTo("ok");
        assertThat(e.promptChars()).isPositive();
        assertThat(e.purpose()).as("the sample ticket of a test, not a triage request").isEqualTo("connection test");
        assertThat(Files.readString(ledger.logFile())).contains("test-model").doesNotContain("VPN").doesNotContain(SECRET);

        // Apply switches new suggestions to the LLM and saves everything but the key.
        assertThat(services.duplicates().checksWithLlm()).isFalse();
        robot.interact(() -> ((javafx.scene.control.CheckBox) node(d, "#settings-duplicate-check")).setSelected(true));
        robot.clickOn("#settings-apply");
        waitFor(20, () -> ((Labeled) node(d, "#settings-status")).getText().startsWith("Saved"));
        assertThat(services.engine()).isInstanceOf(LlmEngine.class);
        assertThat(services.duplicates().checksWithLlm()).as("borderline duplicates go to the LLM too").isTrue();
        assertThat(fx(() -> ((Labeled) node(d, "#settings-status")).getText())).contains("borderline duplicates");
        assertThat(Files.readString(settingsFile)).contains("duplicates.llmCheck=true");
        String saved = Files.readString(settingsFile);
        assertThat(saved).contains("engine.mode=llm").contains("SWITCHBOARD_TEST_NO_SUCH_VARIABLE").doesNotContain(SECRET);
        assertThat(fx(() -> allText(d.stage().getScene().getRoot()))).doesNotContain(SECRET);

        // Back to the local model.
        robot.interact(() -> ((RadioButton) node(d, "#engine-local")).setSelected(true));
        robot.clickOn("#settings-apply");
        waitFor(20, () -> ((Labeled) node(d, "#settings-status")).getText().contains("local model"));
        assertThat(services.engine()).isSameAs(services.localModel());
        assertThat(services.duplicates().checksWithLlm()).as("no LLM, no LLM check").isFalse();
        robot.interact(() -> d.stage().close());
    }

    @Test
    void afterATestConnectionFocusIsOnTheTestButtonSoSpaceTestsAgain(FxRobot robot) throws Exception {
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        serveLlm(ex -> {
            requests.incrementAndGet();
            ex.getRequestBody().readAllBytes();
        });
        SettingsDialog d = open();
        tab(robot, d, "settings-engine");
        robot.interact(() -> {
            ((RadioButton) node(d, "#engine-llm")).setSelected(true);
            ((TextField) node(d, "#engine-base-url")).setText("http://127.0.0.1:" + llm.getAddress().getPort() + "/v1");
            ((TextField) node(d, "#engine-model")).setText("test-model");
            ((TextField) node(d, "#engine-key-env")).setText("SWITCHBOARD_TEST_NO_SUCH_VARIABLE");
            ((PasswordField) node(d, "#engine-key")).setText(SECRET);
        });
        Node test = node(d, "#engine-test");
        robot.interact(() -> d.stage().requestFocus());
        robot.interact(test::requestFocus);
        waitFor(5, test::isFocused);
        robot.type(javafx.scene.input.KeyCode.SPACE);
        waitFor(30, () -> ((Labeled) node(d, "#engine-test-result")).getText().startsWith("Connected"));
        waitFor(5, () -> test.isFocused());
        // Space again tests again: Settings stays open and nothing is saved
        robot.type(javafx.scene.input.KeyCode.SPACE);
        waitFor(30, () -> requests.get() >= 2 && ((Labeled) node(d, "#engine-test-result")).getText().startsWith("Connected"));
        assertThat(d.stage().isShowing()).isTrue();
        assertThat(new Settings(settingsFile).get("engine.mode", null)).isNotEqualTo("llm");
        robot.interact(() -> d.stage().close());
    }

    @Test
    void everyTabsNotesAreShownWholeAndTheFormScrollsInsteadOfRunningUnderTheButtons(FxRobot robot) throws Exception {
        SettingsDialog d = open();
        robot.interact(() -> d.stage().setHeight(420)); // a small screen
        for (String tab : List.of("settings-general", "settings-intake", "settings-egress", "settings-prompt", "settings-engine")) {
            tab(robot, d, tab);
            WaitForAsyncUtils.waitForFxEvents();
            List<String> cut = fx(() -> ((TabPane) d.stage().getScene().lookup(".tab-pane")).getSelectionModel().getSelectedItem()
                    .getContent().lookupAll(".sb-note").stream()
                    .map(n -> (Labeled) n)
                    .filter(l -> l.lookup(".text") instanceof javafx.scene.text.Text t && !t.getText().equals(l.getText()))
                    .map(Labeled::getText).toList());
            assertThat(cut).as("notes cut to '…' on " + tab).isEmpty();
        }
        Node test = node(d, "#engine-test");
        Node ok = node(d, "#settings-ok");
        // Test connection is reached by scrolling, never drawn under OK / Apply / Close
        robot.interact(test::requestFocus);
        javafx.scene.control.ScrollPane scroll = fx(() -> (javafx.scene.control.ScrollPane) d.stage().getScene().getRoot()
                .lookupAll(".scroll-pane").stream().filter(n -> n.isVisible() && ((javafx.scene.control.ScrollPane) n)
                        .getContent() instanceof EnginePane).findFirst().orElseThrow());
        robot.interact(() -> scroll.setVvalue(scroll.getVmax()));
        WaitForAsyncUtils.waitForFxEvents();
        double testBottom = fx(() -> test.localToScene(test.getBoundsInLocal()).getMaxY());
        double okTop = fx(() -> ok.localToScene(ok.getBoundsInLocal()).getMinY());
        assertThat(testBottom).isLessThan(okTop);
        robot.interact(() -> d.stage().close());
    }

    @Test
    void theLlmConfidenceThresholdIsValidatedSavedAndUsedByTheEngine(FxRobot robot) throws Exception {
        SettingsDialog d = open();
        tab(robot, d, "settings-engine");
        TextField threshold = node(d, "#engine-confident-above");
        String shown = fx(threshold::getText);
        assertThat(shown).isEqualTo("0.75");
        boolean disabled = fx(threshold::isDisabled);
        assertThat(disabled).as("only for the LLM").isTrue();
        robot.interact(() -> {
            ((RadioButton) node(d, "#engine-llm")).setSelected(true);
            ((TextField) node(d, "#engine-base-url")).setText("http://127.0.0.1:9/v1"); // never called: nothing is tested here
            ((TextField) node(d, "#engine-model")).setText("test-model");
            threshold.setText("1.5");
        });
        robot.clickOn("#settings-apply");
        waitFor(10, () -> ((Labeled) node(d, "#settings-status")).getText().equals("The engine settings are not complete."));
        assertThat(fx(() -> ((Labeled) node(d, "#engine-validation")).getText()))
                .isEqualTo("Confident at must be a number from 0.50 to 0.99 (the LLM's own confidence; default 0.75)");
        assertThat(services.engine()).isSameAs(services.localModel());
        assertThat(new Settings(settingsFile).get("llm.confidentAbove", null)).isNull();

        robot.interact(() -> threshold.setText("0,9"));
        robot.clickOn("#settings-apply");
        waitFor(20, () -> ((Labeled) node(d, "#settings-status")).getText().startsWith("Saved"));
        assertThat(services.engine()).isInstanceOfSatisfying(LlmEngine.class, e -> assertThat(e.confidentAbove()).isEqualTo(0.9));
        assertThat(new Settings(settingsFile).get("llm.confidentAbove", null)).isEqualTo("0.9");
        assertThat(fx(() -> ((Labeled) node(d, "#engine-validation")).getText())).isEmpty();
        robot.interact(() -> d.stage().close());

        // the next start uses it too
        EngineControl.restoreFromSettings(services);
        assertThat(services.engine()).isInstanceOfSatisfying(LlmEngine.class, e -> assertThat(e.confidentAbove()).isEqualTo(0.9));
    }

    @Test
    void promptTemplateValidatesAndPersists(FxRobot robot) throws Exception {
        SettingsDialog d = open();
        tab(robot, d, "settings-prompt");
        robot.interact(() -> ((TextInputControl) node(d, "#prompt-user")).setText("No ticket placeholder {{oops}}"));
        assertThat(fx(() -> ((Labeled) node(d, "#prompt-validation")).getText())).contains("{{ticket}}");
        robot.interact(() -> ((TextInputControl) node(d, "#prompt-user")).setText("Route this: {{ticket}} {{oops}}"));
        assertThat(fx(() -> ((Labeled) node(d, "#prompt-validation")).getText())).contains("{{oops}}");
        robot.clickOn("#settings-apply");
        waitFor(20, () -> ((Labeled) node(d, "#settings-status")).getText().startsWith("Saved"));
        assertThat(EngineConfig.load(new Settings(settingsFile)).template().user()).isEqualTo("Route this: {{ticket}} {{oops}}");
        robot.clickOn("#prompt-reset");
        assertThat(fx(() -> ((TextInputControl) node(d, "#prompt-user")).getText())).contains("{{examples}}");
        robot.interact(() -> d.stage().close());
    }

    /** Every text shown in labels, buttons and text fields (not password fields, which show bullets). */
    private static String allText(Parent root) {
        List<String> out = new ArrayList<>();
        collect(root, out);
        return String.join("\n", out);
    }

    private static void collect(Node n, List<String> out) {
        if (n instanceof Labeled l && l.getText() != null) out.add(l.getText());
        if (n instanceof TextInputControl t && !(n instanceof PasswordField) && t.getText() != null) out.add(t.getText());
        if (n instanceof javafx.scene.control.TabPane tp) tp.getTabs().forEach(t -> { if (t.getContent() != null) collect(t.getContent(), out); });
        if (n instanceof Parent p) p.getChildrenUnmodifiable().forEach(c -> collect(c, out));
    }
}
