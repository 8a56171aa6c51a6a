package dev.switchboard.inference.llm;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.inference.LabelledTicket;
import dev.switchboard.inference.Prediction;
import dev.switchboard.inference.Taxonomy;
import dev.switchboard.inference.TicketText;
import dev.switchboard.inference.TriageContext;
import dev.switchboard.inference.TriageEngine;
import dev.switchboard.inference.TriageSuggestion;
import dev.switchboard.inference.redact.Redactor;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * App-side overhead of one LLM suggestion, measured end to end against a local server that answers
 * at once (so the figure upper-bounds prompt building + redaction + HTTP + JSON + validation), plus
 * throughput at concurrency 8, plus the pure in-process part (no HTTP) for comparison.
 *
 * <p>Run: {@code java -cp <inference classes + deps> dev.switchboard.inference.llm.LlmOverheadBench [n]}.
 * Needs the {@code jdk.httpserver} module (present in a full JDK).
 */
public final class LlmOverheadBench {

    private static final String REPLY = "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"bench\","
            + "\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\",\"content\":"
            + "\"{\\\"team\\\":\\\"Network\\\",\\\"priority\\\":\\\"P2\\\",\\\"confidence\\\":0.82,"
            + "\\\"rationale\\\":\\\"VPN drops match earlier Network tickets.\\\",\\\"duplicate_of\\\":null}\"}}],"
            + "\"usage\":{\"prompt_tokens\":900,\"completion_tokens\":40,\"total_tokens\":940}}";

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        ExecutorService serverPool = Executors.newFixedThreadPool(8);
        server.setExecutor(serverPool);
        byte[] body = REPLY.getBytes(StandardCharsets.UTF_8);
        server.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        });
        server.start();

        Taxonomy taxonomy = taxonomy();
        TriageContext ctx = TriageContext.of(taxonomy);
        List<ExampleRetriever.Example> examples = examples();
        ExampleRetriever retriever = (t, k) -> examples.subList(0, Math.min(k, examples.size()));
        TriageEngine local = new TriageEngine() {
            @Override
            public TriageSuggestion suggest(TicketText ticket, TriageContext context) {
                return new TriageSuggestion(TriageSuggestion.Status.OK, List.of(new Prediction("Desktop", 0.4)), List.of(), false,
                        "", List.of(), "local", "bench", "", 0);
            }

            @Override
            public String id() {
                return "local";
            }
        };
        LlmSettings settings = new LlmSettings(LlmSettings.Provider.OPENAI_COMPATIBLE,
                "http://127.0.0.1:" + server.getAddress().getPort() + "/v1", "bench-model", () -> "sk-bench-key",
                Duration.ofSeconds(10), 0, 8, true, LlmSettings.HybridPolicy.ALWAYS, 5, LlmSettings.ResponseMode.JSON_SCHEMA);
        int[] egress = {0};
        EgressListener ledger = (e, m, c, at, o) -> {
            synchronized (egress) {
                egress[0]++;
            }
        };
        TicketText[] tickets = tickets(64);

        try (LlmEngine engine = LlmEngine.builder(settings, local).retriever(retriever).egress(ledger)
                .requesterNames(t -> List.of("Jane Doe")).build()) {
            // warm-up (JIT, connection pool)
            for (int i = 0; i < Math.max(300, n / 4); i++) check(engine.suggest(tickets[i % tickets.length], ctx));

            long[] seq = new long[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                check(engine.suggest(tickets[i % tickets.length], ctx));
                seq[i] = System.nanoTime() - t0;
            }
            System.out.printf(Locale.ROOT, "LLM engine end-to-end vs instant local server (redaction on, k=5, JSON schema), sequential n=%d%n", n);
            print("  per suggestion", seq);

            int threads = 8;
            int perThread = Math.max(100, n / threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            long[] conc = new long[threads * perThread];
            long w0 = System.nanoTime();
            List<Future<?>> fs = new ArrayList<>();
            for (int th = 0; th < threads; th++) {
                int base = th * perThread;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        long t0 = System.nanoTime();
                        check(engine.suggest(tickets[(base + i) % tickets.length], ctx));
                        conc[base + i] = System.nanoTime() - t0;
                    }
                }));
            }
            for (Future<?> f : fs) f.get();
            double wallS = (System.nanoTime() - w0) / 1e9;
            pool.shutdown();
            System.out.printf(Locale.ROOT, "Concurrency %d (engine limit %d), %d suggestions in %.2f s: %.0f suggestions/s%n",
                    threads, settings.concurrency(), conc.length, wallS, conc.length / wallS);
            print("  per suggestion", conc);
        } finally {
            server.stop(0);
            serverPool.shutdownNow();
        }

        // the in-process part alone: retrieval, redaction, prompt, parse, validation (no HTTP, no langchain4j)
        PromptBuilder prompts = new PromptBuilder();
        Redactor redactor = new Redactor();
        String content = "{\"team\":\"Network\",\"priority\":\"P2\",\"confidence\":0.82,\"rationale\":\"VPN drops.\",\"duplicate_of\":null}";
        long[] inproc = new long[n];
        int chars = 0;
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                TicketText t = tickets[i % tickets.length];
                TicketText red = new TicketText(t.id(), redactor.redact(t.subject(), List.of("Jane Doe")).text(),
                        redactor.redact(t.body(), List.of("Jane Doe")).text(), t.updates());
                List<ExampleRetriever.Example> ex = retriever.nearest(t, 5).stream().map(e -> new ExampleRetriever.Example(
                        new LabelledTicket(new TicketText(e.ticket().text().id(), redactor.redact(e.ticket().text().subject()).text(),
                                redactor.redact(e.ticket().text().body()).text(), List.of()), e.ticket().team(), e.ticket().priority(),
                                null, 1.0), e.similarity())).toList();
                String sys = prompts.systemMessage(ctx);
                String user = prompts.userMessage(red, ctx, ex);
                chars = sys.length() + user.length();
                var outcome = ReplyValidator.validate(LlmReply.parse(content), ctx, List.of());
                if (!outcome.ok()) throw new IllegalStateException();
                inproc[i] = System.nanoTime() - t0;
            }
        }
        System.out.printf(Locale.ROOT, "In-process only (redact + prompt build + parse + validate, no HTTP), n=%d, prompt ~%d chars%n", n, chars);
        print("  per suggestion", inproc);
        System.out.println("egress events recorded: " + egress[0] + " (at " + Instant.now() + ")");
    }

    private static void check(TriageSuggestion s) {
        if (s.status() != TriageSuggestion.Status.OK) throw new IllegalStateException(s.status() + ": " + s.note());
    }

    private static void print(String label, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "%s: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms%n", label,
                s[s.length / 2] / 1e6, s[(int) (s.length * 0.95)] / 1e6, s[(int) (s.length * 0.99)] / 1e6, s[s.length - 1] / 1e6);
    }

    private static Taxonomy taxonomy() {
        List<Taxonomy.Team> teams = new ArrayList<>();
        String[][] t = {
                {"Network", "Routers, switches, Wi-Fi, VPN, DNS, DHCP and firewall rules"},
                {"Desktop", "Laptops, docking stations, printers, Windows and Office on user devices"},
                {"Security", "Phishing, malware, account compromise, access reviews, certificates"},
                {"Database", "PostgreSQL and Oracle instances, backups, slow queries, schema changes"},
                {"Identity", "Accounts, passwords, MFA, group membership, SSO"},
                {"ERP", "SAP modules, purchase orders, invoices, ERP login issues"},
                {"Collaboration", "E-mail, Teams, SharePoint, calendars, mailing lists"},
                {"Cloud", "AWS and Azure accounts, Kubernetes clusters, CI runners"},
                {"Telephony", "Desk phones, mobile contracts, call centre software"},
                {"Facilities IT", "Meeting-room displays, badge readers, building Wi-Fi guests"}};
        for (String[] x : t) teams.add(new Taxonomy.Team(x[0], x[1]));
        return new Taxonomy(teams, List.of(
                new Taxonomy.Priority("P1", "Outage affecting many users or a security incident in progress"),
                new Taxonomy.Priority("P2", "A team is blocked and there is no workaround"),
                new Taxonomy.Priority("P3", "A single user is affected or a workaround exists"),
                new Taxonomy.Priority("P4", "Question, request or cosmetic issue")));
    }

    private static List<ExampleRetriever.Example> examples() {
        List<ExampleRetriever.Example> out = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            out.add(new ExampleRetriever.Example(new LabelledTicket(TicketText.of("T-" + (100 + i), "VPN disconnects at home " + i,
                    "received from: user" + i + "@example.com\nThe AnyConnect client keeps disconnecting every few minutes since the "
                            + "update to 4.10. Tried another Wi-Fi, same. Call me at +49 30 1234 56" + i + ". " + "Log excerpt: "
                            + "tunnel reset by peer, DPD timeout. ".repeat(4)), i % 2 == 0 ? "Network" : "Desktop", "P3", null, 1.0),
                    0.9 - i * 0.05));
        }
        return out;
    }

    private static TicketText[] tickets(int count) {
        TicketText[] out = new TicketText[count];
        for (int i = 0; i < count; i++) {
            out[i] = new TicketText("N-" + i, "VPN drops every 10 minutes (site " + i + ")",
                    "received from: jane.doe" + i + "@example.com\n\nhello team,\nsince monday my vpn connection to the berlin office "
                            + "drops every ten minutes. gateway 10.16.4." + (i % 250) + " rejects me, my phone is +49 170 12345" + (10 + i)
                            + ". I already rebooted the laptop and reinstalled the client. Jane Doe\n"
                            + "Error log: ".concat("2024-01-15 10:51:0" + (i % 10) + " tunnel down, reason: DPD timeout; ".repeat(20)),
                    List.of("Still happening today, please help.", "Colleague in the same office has the same issue."));
        }
        return out;
    }
}
