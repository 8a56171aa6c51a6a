package dev.switchboard.app;

import dev.switchboard.app.settings.Settings;
import dev.switchboard.app.triage.TriageService;
import dev.switchboard.inference.TriageEngine;
import dev.switchboard.inference.local.LocalModel;
import dev.switchboard.persistence.store.DecisionLedger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Everything the window works with once the database is open: built once here (the composition
 * root for workspace-bound services) and handed to views through their constructors.
 */
public final class Services implements AutoCloseable {

    private final Workspace workspace;
    private final Settings settings;
    private final DecisionLedger ledger;
    private final LocalModel localModel;
    private final AtomicReference<TriageEngine> engine = new AtomicReference<>();
    private final TriageService triage;
    private final dev.switchboard.app.duplicates.DuplicateService duplicates;

    public Services(Workspace workspace, Settings settings) {
        this.workspace = workspace;
        this.settings = settings;
        this.ledger = new DecisionLedger(workspace.store());
        this.localModel = new LocalModel();
        this.engine.set(localModel);
        this.triage = new TriageService(workspace.store(), localModel, engine::get, workspace.localModelFile());
        this.duplicates = new dev.switchboard.app.duplicates.DuplicateService(workspace.store(), localModel);
        int days = settings.getInt(dev.switchboard.app.duplicates.DuplicateService.WINDOW_DAYS,
                dev.switchboard.app.duplicates.DuplicateService.DEFAULT_WINDOW_DAYS);
        if (days >= 1 && days <= 3650) duplicates.setWindowDays(days);
    }

    public dev.switchboard.app.duplicates.DuplicateService duplicates() {
        return duplicates;
    }

    public Workspace workspace() { return workspace; }
    public Settings settings() { return settings; }
    public DecisionLedger ledger() { return ledger; }
    public LocalModel localModel() { return localModel; }
    public TriageService triage() { return triage; }

    /** Swaps the engine used for new suggestions (Local or an LLM with the local model as fallback). */
    public void useEngine(TriageEngine e) {
        TriageEngine old = engine.getAndSet(e == null ? localModel : e);
        if (old != localModel && old instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing a client must not break switching
            }
        }
    }

    public TriageEngine engine() {
        return engine.get();
    }

    @Override
    public void close() {
        duplicates.close();
        triage.close();
        useEngine(null);
        workspace.close();
    }
}
