package dev.switchboard.app.cli;

import dev.switchboard.inference.eval.EngineFactory;
import dev.switchboard.inference.eval.EvaluateJob;
import dev.switchboard.inference.eval.EvaluationReport;
import dev.switchboard.inference.eval.ReportWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code evaluate}: trains an engine on labelled tickets and scores it on held-out ones (top-1,
 * hit@3, macro-F1, calibration, precision/coverage at the confidence thresholds, latency).
 * Exit codes: 0 done, 2 bad input (one-line message), 1 unexpected failure.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a triage engine on a labelled ticket file.")
public final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "FILE", description = "Labelled tickets (CSV or JSONL), split into train and test.")
    Path data;

    @Option(names = "--train", paramLabel = "FILE", description = "Training tickets (use with --test instead of --data).")
    Path train;

    @Option(names = "--test", paramLabel = "FILE", description = "Test tickets (use with --train).")
    Path test;

    @Option(names = "--text", paramLabel = "COL", split = ",", required = true,
            description = "Text column(s); the first is the subject, the rest form the body.")
    List<String> text;

    @Option(names = "--team", paramLabel = "COL", required = true, description = "Column with the team.")
    String team;

    @Option(names = "--priority", paramLabel = "COL", description = "Column with the priority (optional).")
    String priority;

    @Option(names = "--requester", paramLabel = "COL",
            description = "Column naming who filed each ticket (optional): the local model also learns where each requester's tickets went, as in the app.")
    String requester;

    @Option(names = "--test-fraction", defaultValue = "0.2", description = "Share of --data held out (default ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the train/test split (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--engine", defaultValue = "local", description = "Engine to evaluate (default ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--report", paramLabel = "FILE.json", description = "Write the full report as JSON.")
    Path report;

    @Option(names = "--baseline", description = "Also score majority-class and Naive Bayes baselines.")
    boolean baseline;

    @Option(names = "--target-precision", defaultValue = "0.9",
            description = "Precision the confidence thresholds aim for (default ${DEFAULT-VALUE}).")
    double targetPrecision;

    @Option(names = "--llm", paramLabel = "openai|ollama", description = "With --engine llm: the server's protocol.")
    String llm;

    @Option(names = "--base-url", paramLabel = "URL",
            description = "With --engine llm: server address (OpenAI-compatible ones end in /v1, e.g. http://localhost:8000/v1).")
    String baseUrl;

    @Option(names = "--model", paramLabel = "NAME", description = "With --engine llm: the model name.")
    String model;

    @Option(names = "--api-key-env", paramLabel = "VAR", defaultValue = "OPENAI_API_KEY",
            description = "Environment variable holding the API key (default ${DEFAULT-VALUE}); never printed.")
    String apiKeyEnv;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "60", description = "LLM timeout in seconds (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "4", description = "Parallel LLM calls (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--confident-above", paramLabel = "P",
            description = "With --engine llm: the LLM's own confidence from which its suggestion counts as confident, when the "
                    + "local model's first choice is the same team (0.5-0.99, default ${DEFAULT-VALUE}; in the window: "
                    + "Settings, Engine, Confident at).")
    double confidentAbove = dev.switchboard.inference.llm.LlmEngine.DEFAULT_CONFIDENT_ABOVE;

    @Option(names = "--unrelated", paramLabel = "FILE",
            description = "Tickets from outside the training data (another queue or product, CSV or JSONL): reports how "
                    + "many still get a confident suggestion, each a wrong blind accept.")
    Path unrelated;

    @Option(names = "--unrelated-text", paramLabel = "COL", split = ",",
            description = "Text columns of --unrelated (default: the --text columns).")
    List<String> unrelatedText;

    @Option(names = "--vector-cache", paramLabel = "FILE", hidden = true,
            description = "Development: keep sentence vectors in FILE between runs (keyed by embedding model and text); "
                    + "training time and latency then leave out embedding.")
    Path vectorCache;

    private final Map<String, EngineFactory> extraEngines = new LinkedHashMap<>();

    /**
     * The egress ledger the LLM's requests are recorded in, as the window's are: {@code egress.csv} in the data
     * directory, purpose "evaluation" (an evaluation sends a file's tickets to the server). Tests point it elsewhere.
     */
    java.util.function.Supplier<Path> egressLog = () -> dev.switchboard.persistence.db.Database.defaultDataDir()
            .resolve(dev.switchboard.app.settings.EgressLedger.LOG_FILE);
    private dev.switchboard.app.settings.EgressLedger egress;

    /**
     * The LLM exactly as the app uses it: same prompt builder, examples retrieved from the training
     * file through the local model trained on it, validation, and the local model as fallback.
     */
    private EngineFactory llmFactory(Map<String, EngineFactory> builtIn) {
        return (train, taxonomy, progress) -> {
            if (baseUrl == null || model == null) throw new EvaluateJob.UsageException("--engine llm needs --base-url and --model");
            String threshold = dev.switchboard.app.settings.EngineConfig.confidenceProblem(confidentAbove);
            if (threshold != null) throw new EvaluateJob.UsageException("--confident-above "
                    + dev.switchboard.app.settings.EngineConfig.formatConfidence(confidentAbove) + ": " + threshold);
            String secret = dev.switchboard.inference.llm.LlmSettings.credentialsIn(baseUrl);
            if (secret != null) throw new EvaluateJob.UsageException("--base-url: " + secret + " (--api-key-env names it)");
            // another name (a typo such as "olama") was taken for the OpenAI protocol without a word
            if (llm != null && !llm.equalsIgnoreCase("openai") && !llm.equalsIgnoreCase("ollama")) {
                throw new EvaluateJob.UsageException("--llm '" + llm + "': use openai (OpenAI-compatible servers) or ollama");
            }
            var provider = "ollama".equalsIgnoreCase(llm) ? dev.switchboard.inference.llm.LlmSettings.Provider.OLLAMA
                    : dev.switchboard.inference.llm.LlmSettings.Provider.OPENAI_COMPATIBLE;
            var local = (dev.switchboard.inference.TriageEngine) builtIn.get("local").create(train, taxonomy, progress);
            Map<String, dev.switchboard.inference.LabelledTicket> byId = new java.util.HashMap<>();
            for (var t : train) byId.put(t.text().id(), t);
            dev.switchboard.inference.llm.ExampleRetriever retriever = (ticket, k) -> local
                    .suggest(ticket, dev.switchboard.inference.TriageContext.of(taxonomy)).evidence().stream()
                    .filter(e -> byId.containsKey(e.ticketId())).limit(k)
                    .map(e -> new dev.switchboard.inference.llm.ExampleRetriever.Example(byId.get(e.ticketId()), e.similarity()))
                    .toList();
            String env = apiKeyEnv;
            var settings = dev.switchboard.inference.llm.LlmSettings.of(provider, baseUrl, model, () -> System.getenv(env))
                    .withTimeout(java.time.Duration.ofSeconds(timeoutSeconds)).withConcurrency(concurrency);
            egress = new dev.switchboard.app.settings.EgressLedger(egressLog.get());
            return dev.switchboard.inference.llm.LlmEngine.builder(settings, local).retriever(retriever)
                    .egress(egress.as(dev.switchboard.inference.llm.EgressListener.EVALUATION)).confidentAbove(confidentAbove).build();
        };
    }

    /** Lets the composition root add engines (for example "llm") before the command runs. */
    public EvaluateCommand withEngine(String name, EngineFactory factory) {
        extraEngines.put(name, factory);
        return this;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        dev.switchboard.inference.local.FileVectorCache cache = vectorCache == null ? null
                : new dev.switchboard.inference.local.FileVectorCache(vectorCache);
        Map<String, EngineFactory> engines = new LinkedHashMap<>(EvaluateJob.builtInEngines(targetPrecision, cache));
        engines.put("llm", llmFactory(engines));
        engines.putAll(extraEngines);
        EvaluateJob job = new EvaluateJob(data, train, test, text, team, priority, testFraction, seed, engine, report,
                baseline, targetPrecision, unrelated, unrelatedText, requester);
        try {
            EvaluationReport r = job.run(engines, null);
            if (cache != null) cache.save();
            ReportWriter.printText(r, out);
            if (report != null) out.println("report written to " + report);
            if (egress != null) out.printf("%,d LLM request(s) recorded in %s (purpose: evaluation)%n", egress.total(), egress.logFile());
            out.flush();
            return 0;
        } catch (EvaluateJob.UsageException e) {
            err.println("evaluate: " + e.getMessage());
            err.flush();
            return 2;
        } catch (Exception e) {
            err.println("evaluate: failed: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            err.flush();
            return 1;
        }
    }
}
