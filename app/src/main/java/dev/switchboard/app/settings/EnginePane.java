package dev.switchboard.app.settings;

import dev.switchboard.app.ui.Background;
import dev.switchboard.inference.llm.LlmSettings.Provider;
import java.util.function.Supplier;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.RadioButton;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.HBox;
import javafx.util.StringConverter;

/** Settings › Engine: local model or an LLM (OpenAI-compatible or Ollama), with "Test connection". */
final class EnginePane extends SettingsForm {

    private final EngineControl control;
    private final Background background;
    private final Supplier<dev.switchboard.inference.llm.PromptBuilder.Template> template;
    private final RadioButton local = new RadioButton("Local model (offline, default)");
    private final RadioButton llm = new RadioButton("LLM, with the local model as fallback");
    private final ComboBox<Provider> provider = new ComboBox<>();
    private final TextField baseUrl = new TextField();
    private final TextField model = new TextField();
    private final TextField keyEnv = new TextField();
    private final PasswordField key = new PasswordField();
    private final Label keySource = new Label();
    private final Spinner<Integer> timeout = new Spinner<>(1, 600, 60);
    private final Spinner<Integer> concurrency = new Spinner<>(1, 64, 4);
    private final Spinner<Integer> examples = new Spinner<>(0, 20, 5);
    /** A text field, not a spinner: a spinner would silently clamp 1.5 to 0.99 where the dispatcher should be told. */
    private final TextField confidentAbove = new TextField();
    private final CheckBox hybrid = new CheckBox("Ask the LLM only when the local model is not confident");
    private final CheckBox redact = new CheckBox("Redact personal data (names, e-mail addresses, phone numbers…) before sending");
    private final Button test = new Button("Test connection");
    private final Label testResult = new Label();
    private final Label validation = new Label();
    private boolean keyEdited;

    EnginePane(EngineControl control, Background background, Supplier<dev.switchboard.inference.llm.PromptBuilder.Template> template) {
        this.control = control;
        this.background = background;
        this.template = template;
        setPadding(new Insets(14));
        local.setId("engine-local");
        llm.setId("engine-llm");
        provider.setId("engine-provider");
        baseUrl.setId("engine-base-url");
        model.setId("engine-model");
        keyEnv.setId("engine-key-env");
        key.setId("engine-key");
        keySource.setId("engine-key-source");
        test.setId("engine-test");
        testResult.setId("engine-test-result");
        testResult.setWrapText(true);
        testResult.getStyleClass().add("sb-test-result");
        validation.setId("engine-validation");
        validation.getStyleClass().add("sb-validation");
        validation.setWrapText(true);
        ToggleGroup g = new ToggleGroup();
        local.setToggleGroup(g);
        llm.setToggleGroup(g);
        provider.getItems().setAll(Provider.values());
        provider.setConverter(new StringConverter<>() {
            @Override public String toString(Provider p) {
                return p == null ? "" : p == Provider.OLLAMA ? "Ollama" : "OpenAI-compatible";
            }

            @Override public Provider fromString(String s) {
                return null;
            }
        });
        for (Spinner<Integer> s : java.util.List.of(timeout, concurrency, examples)) {
            s.setEditable(true);
            s.setPrefWidth(110);
        }
        timeout.setId("engine-timeout");
        concurrency.setId("engine-concurrency");
        examples.setId("engine-examples");
        confidentAbove.setId("engine-confident-above");
        confidentAbove.setPrefColumnCount(5);
        confidentAbove.setMaxWidth(110);
        confidentAbove.setPromptText(EngineConfig.formatConfidence(dev.switchboard.inference.llm.LlmEngine.DEFAULT_CONFIDENT_ABOVE));
        hybrid.setId("engine-hybrid");
        redact.setId("engine-redact");

        section("Engine for new suggestions");
        full(new HBox(16, local, llm));
        add("Provider:", provider);
        add("Base URL:", baseUrl);
        add("Model:", model);
        add("API key variable:", keyEnv);
        add("API key:", key);
        add("Key source:", keySource);
        note("The API key is never saved: not in the settings file, the database or logs. Switchboard reads it from the "
                + "environment variable named above each time it calls the LLM; a key typed here is kept in memory for this "
                + "session only and overrides the variable. Ollama needs no key.");
        add("Timeout (s):", timeout);
        add("Concurrent requests:", concurrency);
        // beside Examples, not a row of its own: with the app's theme another row pushes Test connection under the buttons
        Label confidentLabel = new Label("Confident at:");
        confidentLabel.setLabelFor(confidentAbove);
        confidentAbove.setAccessibleText("Confident at");
        confidentAbove.setTooltip(new javafx.scene.control.Tooltip("An LLM suggestion is marked confident (Enter accepts it, and "
                + "so does the bulk accept) when the LLM's own confidence is at least this, 0.50–0.99 (default 0.75), and the "
                + "local model's first choice is the same team."));
        examples.setAccessibleText("Examples (k)");
        HBox examplesRow = new HBox(10, examples, confidentLabel, confidentAbove);
        examplesRow.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        HBox.setMargin(confidentLabel, new Insets(0, 0, 0, 14));
        add("Examples (k):", examplesRow);
        full(hybrid);
        full(redact);
        full(new HBox(10, test));
        full(testResult);
        full(validation);

        load(EngineConfig.load(control.settings()));
        provider.valueProperty().addListener((o, a, p) -> swapDefaults(a, p));
        key.textProperty().addListener((o, a, b) -> {
            keyEdited = true;
            updateKeySource();
        });
        keyEnv.textProperty().addListener((o, a, b) -> updateKeySource());
        llm.selectedProperty().addListener((o, a, b) -> enable());
        provider.valueProperty().addListener((o, a, b) -> enable());
        test.setOnAction(e -> test());
        enable();
        updateKeySource();
    }

    private void load(EngineConfig c) {
        (c.llm() ? llm : local).setSelected(true);
        provider.setValue(c.provider());
        baseUrl.setText(c.baseUrl());
        model.setText(c.model());
        keyEnv.setText(c.apiKeyEnv());
        timeout.getValueFactory().setValue(c.timeoutSeconds());
        concurrency.getValueFactory().setValue(c.concurrency());
        examples.getValueFactory().setValue(c.examples());
        confidentAbove.setText(EngineConfig.formatConfidence(c.confidentAbove()));
        hybrid.setSelected(c.hybrid());
        redact.setSelected(c.redact());
        if (control.hasSessionKey()) key.setPromptText("(a typed key is kept for this session)");
    }

    private void swapDefaults(Provider was, Provider now) {
        if (was == null || now == null || was == now) return;
        if (now == Provider.OLLAMA) {
            if (baseUrl.getText().isBlank() || baseUrl.getText().strip().equals(EngineConfig.OPENAI_URL)) baseUrl.setText(EngineConfig.OLLAMA_URL);
            if (model.getText().isBlank() || model.getText().strip().equals(EngineConfig.OPENAI_MODEL)) model.setText(EngineConfig.OLLAMA_MODEL);
        } else {
            if (baseUrl.getText().isBlank() || baseUrl.getText().strip().equals(EngineConfig.OLLAMA_URL)) baseUrl.setText(EngineConfig.OPENAI_URL);
            if (model.getText().isBlank() || model.getText().strip().equals(EngineConfig.OLLAMA_MODEL)) model.setText(EngineConfig.OPENAI_MODEL);
        }
    }

    private void enable() {
        boolean off = !llm.isSelected();
        boolean ollama = provider.getValue() == Provider.OLLAMA;
        for (var n : java.util.List.of(provider, baseUrl, model, timeout, concurrency, examples, confidentAbove, hybrid, redact)) {
            n.setDisable(off);
        }
        keyEnv.setDisable(off || ollama);
        key.setDisable(off || ollama);
    }

    /** Commits spinner text the user typed without pressing Enter. */
    private static int value(Spinner<Integer> s) {
        try {
            int v = Integer.parseInt(s.getEditor().getText().strip());
            s.getValueFactory().setValue(v);
        } catch (NumberFormatException ignored) {
            s.getEditor().setText(Integer.toString(s.getValue()));
        }
        return s.getValue();
    }

    /** The configuration as entered (the template comes from the prompt tab). */
    EngineConfig config() {
        return new EngineConfig(llm.isSelected(), provider.getValue(), baseUrl.getText(), model.getText(), keyEnv.getText(),
                value(timeout), value(concurrency), hybrid.isSelected(), redact.isSelected(), value(examples), template.get(),
                EngineConfig.parseConfidence(confidentAbove.getText()));
    }

    /** Hands a typed key to the control (memory only); untouched field = keep what the session has. */
    void commitKey() {
        if (keyEdited) {
            control.sessionKey(key.getText());
            keyEdited = false;
        }
        updateKeySource();
    }

    private void updateKeySource() {
        if (keyEdited && !key.getText().isBlank()) keySource.setText("typed key (kept in memory for this session only)");
        else keySource.setText(control.keySource(new EngineConfig(true, provider.getValue(), "", "", keyEnv.getText(), 60, 1, false, false, 0,
                null, dev.switchboard.inference.llm.LlmEngine.DEFAULT_CONFIDENT_ABOVE)));
    }

    /** Shows why the configuration cannot be applied; true when it can. */
    boolean validate() {
        EngineConfig c = config();
        // a URL carrying a key is refused with the local engine too: it would be written to the settings file
        String secret = c.llm() ? null : EngineConfig.credentialProblem(c.baseUrl());
        var problems = c.llm() ? c.problems() : secret == null ? java.util.List.<String>of() : java.util.List.of(secret);
        validation.setText(String.join("\n", problems));
        return problems.isEmpty();
    }

    private void test() {
        if (testRunning) return;
        commitKey();
        EngineConfig c = config();
        var problems = c.problems();
        if (!problems.isEmpty()) {
            testResult.setText(String.join("\n", problems));
            return;
        }
        testing(true);
        testResult.setText("Sending a made-up sample ticket to " + c.baseUrl() + " …");
        background.run(null, () -> control.testConnection(c), r -> {
            testing(false);
            testResult.setText(r.describe());
            testResult.getStyleClass().removeAll("sb-ok", "sb-validation");
            testResult.getStyleClass().add(r.ok() ? "sb-ok" : "sb-validation");
        }, e -> {
            testing(false);
            testResult.setText("Test failed: " + control.scrub(String.valueOf(e.getMessage())));
        });
    }

    /**
     * While a test runs the button says so and ignores presses. It is not disabled: disabling the focused
     * button moved focus on to OK, so the Space that was to test again saved and closed Settings.
     */
    private void testing(boolean on) {
        testRunning = on;
        test.setText(on ? "Testing…" : "Test connection");
    }

    private boolean testRunning;
}
