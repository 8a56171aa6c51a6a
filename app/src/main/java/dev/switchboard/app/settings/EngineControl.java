package dev.switchboard.app.settings;

import dev.switchboard.app.Services;
import dev.switchboard.inference.Taxonomy;
import dev.switchboard.inference.TicketText;
import dev.switchboard.inference.TriageContext;
import dev.switchboard.inference.TriageEngine;
import dev.switchboard.inference.TriageSuggestion;
import dev.switchboard.inference.llm.LlmEngine;
import dev.switchboard.inference.llm.LlmIssueRewriter;
import dev.switchboard.inference.llm.PromptBuilder;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Supplier;

/**
 * Which engine makes new suggestions, for one {@link Services}: builds the {@link LlmEngine} (local
 * model as fallback, examples from the local model, every request recorded in the {@link EgressLedger})
 * and swaps it in with {@link Services#useEngine}.
 *
 * <p>The API key is never stored: it is read per request from the environment variable whose NAME is
 * in the settings, unless a key was typed into the dialog, which is kept in memory for this session
 * only. Error texts pass through {@link #scrub} before they are shown.
 */
public final class EngineControl {

    private static final Map<Services, EngineControl> BY_SERVICES = new WeakHashMap<>();
    private static final System.Logger LOG = System.getLogger("switchboard.engine");

    private final Services services;
    private final EgressLedger ledger;
    private volatile String sessionKey;
    private volatile EngineConfig active;

    private EngineControl(Services services) {
        this.services = services;
        this.ledger = new EgressLedger(services.settings().dataDir().resolve(EgressLedger.LOG_FILE));
        this.active = EngineConfig.load(services.settings()).withLlm(false);
    }

    /** The control of these services (created on first use). */
    public static synchronized EngineControl of(Services services) {
        return BY_SERVICES.computeIfAbsent(services, EngineControl::new);
    }

    /**
     * Start-up: uses the LLM engine if the settings say so (key from the environment). Safe to call on
     * any thread; never throws — a broken configuration leaves the local model in charge and is logged.
     */
    public static void restoreFromSettings(Services services) {
        EngineControl c = of(services);
        EngineConfig cfg = EngineConfig.load(services.settings());
        if (!cfg.llm()) return;
        List<String> problems = cfg.problems();
        if (!problems.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "LLM engine not started: " + String.join("; ", problems));
            return;
        }
        try {
            c.use(cfg);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "LLM engine not started: " + c.scrub(String.valueOf(e.getMessage())));
        }
    }

    Settings settings() {
        return services.settings();
    }

    public EgressLedger ledger() {
        return ledger;
    }

    /** The configuration in use (llm false when the local model is). */
    public EngineConfig active() {
        return active;
    }

    /** Keeps a typed key in memory for this session (blank clears it, so the environment is used). */
    public void sessionKey(String key) {
        sessionKey = key == null || key.isBlank() ? null : key.strip();
    }

    public boolean hasSessionKey() {
        return sessionKey != null;
    }

    /** Typed key first, else the environment variable named in the config; read at call time. */
    Supplier<String> keySupplier(EngineConfig cfg) {
        String env = cfg.apiKeyEnv();
        return () -> {
            String k = sessionKey;
            return k != null ? k : System.getenv(env);
        };
    }

    /** Where the key will come from, for the dialog (never the key itself). */
    public String keySource(EngineConfig cfg) {
        if (sessionKey != null) return "typed key (kept in memory for this session only)";
        String v = System.getenv(cfg.apiKeyEnv());
        return v == null || v.isBlank() ? "no key: $" + cfg.apiKeyEnv() + " is not set" : "$" + cfg.apiKeyEnv();
    }

    /** Replaces the key (typed or from the environment) in {@code text} with ****. */
    public String scrub(String text) {
        if (text == null) return "";
        String out = text;
        for (String k : new String[] {sessionKey, System.getenv(active.apiKeyEnv()), System.getenv(EngineConfig.DEFAULT_KEY_ENV)}) {
            if (k != null && k.length() >= 4) out = out.replace(k, "****");
        }
        return out;
    }

    String scrub(String text, EngineConfig cfg) {
        String out = scrub(text);
        String k = System.getenv(cfg.apiKeyEnv());
        return k != null && k.length() >= 4 ? out.replace(k, "****") : out;
    }

    /** Builds the engine for {@code cfg} (no network traffic yet). */
    LlmEngine build(EngineConfig cfg) {
        return LlmEngine.builder(cfg.toLlmSettings(keySupplier(cfg)), services.localModel())
                .retriever(new LocalExampleRetriever(services.localModel(), services.workspace().store(), services.triage()::taxonomy))
                .egress(ledger)
                .prompts(new PromptBuilder(cfg.template()))
                .requesterNames(this::personNames)
                .confidentAbove(cfg.confidentAbove())
                .build();
    }

    /**
     * The person names redaction removes from a ticket before it goes to the LLM (besides addresses, phones
     * and the like): its requester's, as the dataset export reads them, and those of requesters whose
     * duplicates were merged into it (their text arrives as an update naming them). A text that is not a
     * stored ticket (the connection test's sample) has only the merged ones.
     */
    java.util.Collection<String> personNames(dev.switchboard.inference.TicketText t) {
        java.util.List<String> names = new java.util.ArrayList<>();
        if (t.id() != null && !t.id().isEmpty() && t.id().chars().allMatch(Character::isDigit) && t.id().length() < 19) {
            // the queue row carries the requester (one light read; the detail would load body and updates too)
            services.workspace().store().rows(List.of(Long.parseLong(t.id())))
                    .forEach(r -> names.addAll(dev.switchboard.app.export.PiiScrubber.requesterNames(r.requester())));
        }
        for (String u : t.updates()) names.addAll(dev.switchboard.app.export.PiiScrubber.mergedRequesterNames(u));
        return names;
    }

    /** Settings key: check borderline duplicate pairs with the LLM engine (off unless the dispatcher turns it on). */
    public static final String DUPLICATE_CHECK = "duplicates.llmCheck";

    /** Whether borderline duplicate pairs go to the LLM (only ever while the LLM engine is on). */
    public boolean duplicateCheck() {
        return services.settings().getBoolean(DUPLICATE_CHECK, false);
    }

    /** Switches engines (LLM or local) without saving; the duplicate check follows the LLM engine. */
    public synchronized void use(EngineConfig cfg) {
        if (cfg.llm()) {
            List<String> problems = cfg.problems();
            if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
            LlmEngine engine = build(cfg);
            services.useEngine(engine);
            services.duplicates().setIssueRewriter(duplicateCheck() ? new LlmIssueRewriter(engine) : null);
        } else {
            services.duplicates().setIssueRewriter(null);
            services.useEngine(null);
        }
        active = cfg;
    }

    /** Saves the non-secret config and switches to it. */
    public void apply(EngineConfig cfg) throws IOException {
        use(cfg);
        cfg.store(services.settings());
        services.settings().save();
    }

    /** What "Test connection" found. */
    public record TestResult(boolean ok, long millis, String team, String priority, double confidence, String rationale,
                             String error) {
        public String describe() {
            if (!ok) return "Failed after " + millis + " ms: " + error;
            return String.format(java.util.Locale.ROOT, "Connected in %d ms. Reply: team %s, priority %s, confidence %.2f. %s",
                    millis, team, priority == null ? "—" : priority, confidence, rationale == null ? "" : rationale).strip();
        }
    }

    /** A made-up ticket and taxonomy: testing never sends user data. */
    static final TicketText SAMPLE = TicketText.of("sample-1", "VPN disconnects every few minutes",
            "Since this morning the VPN client drops the tunnel every few minutes when working from home.");
    static final Taxonomy SAMPLE_TAXONOMY = new Taxonomy(
            List.of(new Taxonomy.Team("Network", "VPN, Wi-Fi, switches, firewalls"),
                    new Taxonomy.Team("Desktop", "Laptops, printers, peripherals"),
                    new Taxonomy.Team("Identity", "Accounts, passwords, access rights")),
            List.of(new Taxonomy.Priority("P1", "Many people cannot work"), new Taxonomy.Priority("P2", "One person cannot work"),
                    new Taxonomy.Priority("P3", "Work is slowed down"), new Taxonomy.Priority("P4", "Question or request")));

    /**
     * Sends the synthetic sample ticket once through a fresh engine built from {@code cfg} (always asks
     * the LLM, no retries, no examples). Blocks: call it off the FX thread. The request is recorded in
     * the egress ledger like any other.
     */
    public TestResult testConnection(EngineConfig cfg) {
        long t0 = System.nanoTime();
        List<String> problems = cfg.problems();
        if (!problems.isEmpty()) return new TestResult(false, 0, null, null, 0, null, String.join("; ", problems));
        TriageEngine noFallback = new TriageEngine() {
            @Override public TriageSuggestion suggest(TicketText ticket, dev.switchboard.inference.TriageContext context) {
                return TriageSuggestion.none(TriageSuggestion.Status.ERROR, "test", null, "");
            }

            @Override public String id() {
                return "test";
            }
        };
        var settings = cfg.toLlmSettings(keySupplier(cfg)).withHybrid(dev.switchboard.inference.llm.LlmSettings.HybridPolicy.ALWAYS)
                .withMaxRetries(0).withExamples(0);
        try (LlmEngine engine = LlmEngine.builder(settings, noFallback)
                .egress(ledger.as(dev.switchboard.inference.llm.EgressListener.CONNECTION_TEST))
                .prompts(new PromptBuilder(cfg.template())).build()) {
            TriageSuggestion s = engine.suggest(SAMPLE, TriageContext.of(SAMPLE_TAXONOMY));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (s.status() != TriageSuggestion.Status.OK) {
                String why = s.note().isBlank() ? s.status().name().toLowerCase(java.util.Locale.ROOT) : s.note();
                why = why.replaceAll(";\\s*test engine used.*$", "");
                return new TestResult(false, ms, null, null, 0, null, scrub(why, cfg));
            }
            return new TestResult(true, ms, s.topTeam(), s.topPriority(), s.confidence(), scrub(s.rationale(), cfg), null);
        } catch (RuntimeException e) {
            long ms = (System.nanoTime() - t0) / 1_000_000;
            return new TestResult(false, ms, null, null, 0, null,
                    scrub(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), cfg));
        }
    }
}
