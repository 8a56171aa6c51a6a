package dev.switchboard.app.settings;

import dev.switchboard.app.Services;
import dev.switchboard.app.ui.Background;
import dev.switchboard.inference.TicketText;
import dev.switchboard.inference.TriageContext;
import dev.switchboard.inference.llm.PromptBuilder;
import dev.switchboard.persistence.store.QueueRow;
import dev.switchboard.persistence.store.TicketDetail;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextArea;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * Settings › Prompt: the system and user templates of the LLM prompt, reset to default, placeholder
 * validation, and a preview rendered (off the FX thread) for a real ticket: the selected one, else the
 * newest. The preview only renders locally; nothing is sent.
 */
final class PromptPane extends VBox {

    private final Services services;
    private final Background background;
    private final Long ticketId;
    private final TextArea system = new TextArea();
    private final TextArea user = new TextArea();
    private final TextArea preview = new TextArea();
    private final Label validation = new Label();

    PromptPane(Services services, Background background, Long ticketId, PromptBuilder.Template initial) {
        super(8);
        this.services = services;
        this.background = background;
        this.ticketId = ticketId;
        setPadding(new Insets(14));
        system.setId("prompt-system");
        user.setId("prompt-user");
        preview.setId("prompt-preview");
        validation.setId("prompt-validation");
        system.setAccessibleText("System template");
        user.setAccessibleText("User template");
        preview.setAccessibleText("Prompt preview");
        for (TextArea t : List.of(system, user, preview)) {
            t.setWrapText(true);
            t.getStyleClass().add("sb-mono");
        }
        preview.setEditable(false);
        validation.setWrapText(true);
        validation.getStyleClass().add("sb-validation");
        system.setText(initial.system());
        user.setText(initial.user());

        Button reset = new Button("Reset to default");
        reset.setId("prompt-reset");
        reset.setOnAction(e -> {
            system.setText(PromptBuilder.DEFAULT_SYSTEM_TEMPLATE);
            user.setText(PromptBuilder.DEFAULT_USER_TEMPLATE);
        });
        Button show = new Button("Preview");
        show.setId("prompt-preview-button");
        show.setOnAction(e -> renderPreview());
        Label help = new Label("Placeholders: {{teams}}, {{priorities}} (either template); {{examples}}, {{ticket}} (required), "
                + "{{routing}} (user template only). Ticket text is fenced as untrusted data automatically.");
        help.getStyleClass().add("sb-note");
        help.setWrapText(true);
        help.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE); // all its lines, not one cut to "…"

        VBox sys = new VBox(4, new Label("System message template:"), system);
        VBox usr = new VBox(4, new Label("User message template:"), user);
        VBox pre = new VBox(4, new Label("Preview (rendered here; nothing is sent):"), preview);
        VBox.setVgrow(system, Priority.ALWAYS);
        VBox.setVgrow(user, Priority.ALWAYS);
        VBox.setVgrow(preview, Priority.ALWAYS);
        SplitPane editors = new SplitPane(new SplitPane(sys, usr), pre);
        ((SplitPane) editors.getItems().get(0)).setOrientation(javafx.geometry.Orientation.VERTICAL);
        VBox.setVgrow(editors, Priority.ALWAYS);
        getChildren().addAll(help, editors, validation, new HBox(8, reset, show));
        system.textProperty().addListener((o, a, b) -> validate());
        user.textProperty().addListener((o, a, b) -> validate());
        validate();
    }

    /** The template as edited, or null when it is invalid (see the validation label). */
    PromptBuilder.Template template() {
        try {
            return new PromptBuilder.Template(system.getText(), user.getText());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Shows problems; true when the template can be used (unknown placeholders only warn). */
    boolean validate() {
        try {
            PromptBuilder.Template t = new PromptBuilder.Template(system.getText(), user.getText());
            List<String> unknown = t.unknownPlaceholders();
            validation.setText(unknown.isEmpty() ? "" : "Unknown placeholder(s), sent as written: " + String.join(", ", unknown));
            return true;
        } catch (IllegalArgumentException e) {
            validation.setText(e.getMessage());
            return false;
        }
    }

    private void renderPreview() {
        PromptBuilder.Template t = template();
        if (t == null) {
            validate();
            return;
        }
        int k = services.settings().getInt(EngineConfig.EXAMPLES, 5);
        preview.setText("Rendering…");
        background.run(null, () -> render(t, k), preview::setText,
                e -> preview.setText("Preview failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
    }

    private String render(PromptBuilder.Template t, int k) {
        var store = services.workspace().store();
        Optional<TicketDetail> d = ticketId != null ? store.detail(ticketId) : Optional.empty();
        if (d.isEmpty()) {
            d = store.queue().stream().max(Comparator.comparing(QueueRow::createdAt, Comparator.nullsFirst(Comparator.naturalOrder()))
                            .thenComparingLong(QueueRow::id))
                    .flatMap(r -> store.detail(r.id()));
        }
        if (d.isEmpty()) return "No tickets yet: import some to see a preview.";
        TicketDetail td = d.get();
        TicketText text = new TicketText(Long.toString(td.row().id()), td.row().subject(), td.body(),
                td.textUpdates().stream().map(TicketDetail.Update::body).toList());
        var examples = new LocalExampleRetriever(services.localModel(), store, services.triage()::taxonomy).nearest(text, k);
        PromptBuilder.Prompt p = new PromptBuilder(t).render(text, TriageContext.of(services.triage().taxonomy()), examples);
        return "Ticket #" + td.row().id() + " · " + examples.size() + " example(s) · " + p.chars() + " characters\n\n"
                + "=== system ===\n" + p.system() + "\n\n=== user ===\n" + p.user();
    }
}
