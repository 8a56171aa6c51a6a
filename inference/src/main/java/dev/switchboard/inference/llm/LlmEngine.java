package dev.switchboard.inference.llm;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.switchboard.inference.Evidence;
import dev.switchboard.inference.LabelledTicket;
import dev.switchboard.inference.Prediction;
import dev.switchboard.inference.TicketText;
import dev.switchboard.inference.TriageContext;
import dev.switchboard.inference.TriageEngine;
import dev.switchboard.inference.TriageSuggestion;
import dev.switchboard.inference.TriageSuggestion.Status;
import dev.switchboard.inference.redact.Redactor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Triage by a chat LLM (OpenAI-compatible or Ollama) through langchain4j, with the local model as
 * the safety net.
 *
 * <p>Per suggestion: (hybrid) ask the fallback first and stop if it is confident; retrieve k
 * similar decided tickets; optionally redact PII; send the system + user messages from
 * {@link PromptBuilder} with a structured-output response format; parse leniently and validate
 * against the taxonomy and the excluded teams. An invalid reply gets exactly one repair request
 * listing the allowed values; if that fails too, or the call fails after bounded retries (429 with
 * {@code Retry-After}, 5xx, timeouts, connection refused), the fallback engine's suggestion is
 * returned with status FALLBACK and the reason in {@code note}. A valid reply is confident only when its
 * confidence reaches the threshold and the fallback (local) model's first choice is the same team.
 *
 * <p>At most {@link LlmSettings#concurrency()} requests are in flight per engine. Interrupting the
 * calling thread cancels the pending HTTP exchange and returns at once (status ERROR, note
 * "cancelled", interrupt flag kept). Every request that leaves the machine is reported to the
 * {@link EgressListener}. Thread-safe; {@link #close()} releases the HTTP client.
 */
public final class LlmEngine implements TriageEngine, AutoCloseable {

    public static final String ID = "llm";
    /** Self-reported confidence from which a reply may be marked confident, unless set otherwise ({@link Builder#confidentAbove}). */
    public static final double DEFAULT_CONFIDENT_ABOVE = 0.75;
    /** langchain4j insists on a key; the real one is injected per request by the transport. */
    private static final String PLACEHOLDER_KEY = "injected-by-switchboard-transport";

    private final LlmSettings settings;
    private final TriageEngine fallback;
    private final ExampleRetriever retriever;
    private final EgressListener egress;
    private final PromptBuilder prompts;
    private final Redactor redactor;
    private final Function<TicketText, Collection<String>> requesterNames;
    private final double confidentAbove;
    private final Duration baseBackoff;
    private final Duration maxBackoff;
    private final Double temperature;
    private final Clock clock;

    private final Semaphore permits;
    private final java.net.http.HttpClient http;
    private final ChatModel model;
    private final AtomicBoolean schemaUnsupported = new AtomicBoolean();

    /** An engine with the default prompt, redactor and backoff. */
    public LlmEngine(LlmSettings settings, TriageEngine fallback, ExampleRetriever retriever, EgressListener egress) {
        this(builder(settings, fallback).retriever(retriever).egress(egress));
    }

    public static Builder builder(LlmSettings settings, TriageEngine fallback) {
        return new Builder(settings, fallback);
    }

    public static final class Builder {
        private final LlmSettings settings;
        private final TriageEngine fallback;
        private ExampleRetriever retriever = ExampleRetriever.NONE;
        private EgressListener egress = EgressListener.NONE;
        private PromptBuilder prompts = new PromptBuilder();
        private Redactor redactor = new Redactor();
        private Function<TicketText, Collection<String>> requesterNames = t -> List.of();
        private double confidentAbove = DEFAULT_CONFIDENT_ABOVE;
        private Duration baseBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(20);
        private Double temperature = 0.0;
        private Clock clock = Clock.systemUTC();

        private Builder(LlmSettings settings, TriageEngine fallback) {
            this.settings = Objects.requireNonNull(settings, "settings");
            this.fallback = Objects.requireNonNull(fallback, "fallback");
        }

        public Builder retriever(ExampleRetriever r) {
            this.retriever = r == null ? ExampleRetriever.NONE : r;
            return this;
        }

        public Builder egress(EgressListener l) {
            this.egress = l == null ? EgressListener.NONE : l;
            return this;
        }

        public Builder prompts(PromptBuilder p) {
            this.prompts = Objects.requireNonNull(p);
            return this;
        }

        /** Redactor used when {@link LlmSettings#redact()} is on (lead's custom patterns and names go here). */
        public Builder redactor(Redactor r) {
            this.redactor = Objects.requireNonNull(r);
            return this;
        }

        /** Names to redact for a given ticket (e.g. its requester), in addition to the redactor's own. */
        public Builder requesterNames(Function<TicketText, Collection<String>> f) {
            this.requesterNames = Objects.requireNonNull(f);
            return this;
        }

        /**
         * Self-reported confidence at or above which the suggestion may be marked confident (default 0.75):
         * only if the fallback (local) model also ranks the same team first.
         */
        public Builder confidentAbove(double threshold) {
            this.confidentAbove = threshold;
            return this;
        }

        /** First retry waits about {@code base}, doubling each time; no wait (incl. Retry-After) exceeds {@code max}. */
        public Builder backoff(Duration base, Duration max) {
            this.baseBackoff = Objects.requireNonNull(base);
            this.maxBackoff = Objects.requireNonNull(max);
            return this;
        }

        /** Sampling temperature (default 0); null leaves it to the server (some reasoning models reject it). */
        public Builder temperature(Double t) {
            this.temperature = t;
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c);
            return this;
        }

        public LlmEngine build() {
            return new LlmEngine(this);
        }
    }

    private LlmEngine(Builder b) {
        this.settings = b.settings;
        this.fallback = b.fallback;
        this.retriever = b.retriever;
        this.egress = b.egress;
        this.prompts = b.prompts;
        this.redactor = b.redactor;
        this.requesterNames = b.requesterNames;
        this.confidentAbove = b.confidentAbove;
        this.baseBackoff = b.baseBackoff;
        this.maxBackoff = b.maxBackoff;
        this.temperature = b.temperature;
        this.clock = b.clock;
        this.permits = new Semaphore(settings.concurrency(), true);
        Duration connect = settings.timeout().compareTo(Duration.ofSeconds(10)) < 0 ? settings.timeout() : Duration.ofSeconds(10);
        this.http = java.net.http.HttpClient.newBuilder()
                .connectTimeout(connect)
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER) // never re-send the key elsewhere
                // plain-http servers (Ollama, vLLM on a LAN) get HTTP/1.1 without an h2c upgrade attempt
                .version(settings.baseUrl().startsWith("https:") ? java.net.http.HttpClient.Version.HTTP_2
                        : java.net.http.HttpClient.Version.HTTP_1_1)
                .build();
        this.model = buildModel(new LlmTransport.Builder(() -> http, settings.apiKey()));
    }

    /** The self-reported confidence at or above which a reply may be marked confident (see {@link Builder#confidentAbove}). */
    public double confidentAbove() {
        return confidentAbove;
    }

    private ChatModel buildModel(LlmTransport.Builder transport) {
        return switch (settings.provider()) {
            case OPENAI_COMPATIBLE -> OpenAiChatModel.builder()
                    .httpClientBuilder(transport)
                    .baseUrl(settings.baseUrl())
                    .apiKey(PLACEHOLDER_KEY)
                    .modelName(settings.model())
                    .temperature(temperature)
                    .timeout(settings.timeout())
                    .maxRetries(0)
                    .strictJsonSchema(true)
                    .logRequests(false)
                    .logResponses(false)
                    .build();
            case OLLAMA -> OllamaChatModel.builder()
                    .maxRetries(0)
                    .httpClientBuilder(transport)
                    .baseUrl(settings.baseUrl())
                    .modelName(settings.model())
                    .temperature(temperature)
                    .timeout(settings.timeout())
                    .logRequests(false)
                    .logResponses(false)
                    .build();
        };
    }

    @Override
    public String id() {
        return ID;
    }

    public LlmSettings settings() {
        return settings;
    }

    /** Requests currently allowed to start (for a status bar). */
    public int availablePermits() {
        return permits.availablePermits();
    }

    /** Exactly what would be sent for this ticket (after retrieval and redaction): for the prompt preview. */
    public PromptBuilder.Prompt preview(TicketText ticket, TriageContext ctx) {
        Prepared p = prepare(ticket, ctx);
        return new PromptBuilder.Prompt(p.system, p.user);
    }

    @Override
    public TriageSuggestion suggest(TicketText ticket, TriageContext ctx) {
        long t0 = System.nanoTime();
        TriageSuggestion local = null;
        if (settings.hybrid() == LlmSettings.HybridPolicy.WHEN_LOCAL_NOT_CONFIDENT) {
            local = safeFallback(ticket, ctx);
            if (local.status() == Status.OK && local.confident()) return local;
        }
        if (Thread.currentThread().isInterrupted()) return cancelled(t0);
        if (PromptBuilder.allowedTeams(ctx).isEmpty()) {
            return fallback(ticket, ctx, local, "no team is left to choose (all excluded)", t0);
        }
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return cancelled(t0);
        }
        String failure = null;
        ReplyValidator.Valid valid = null;
        List<Evidence> evidence = List.of();
        try {
            Prepared p = prepare(ticket, ctx);
            evidence = p.evidence;
            List<ChatMessage> messages = new ArrayList<>(List.of(SystemMessage.from(p.system), UserMessage.from(p.user)));
            String text = call(messages, ctx);
            ReplyValidator.Outcome outcome = check(text, ctx, p.exampleIds);
            if (outcome.ok()) {
                valid = outcome.valid();
            } else {
                // exactly one repair request
                messages.add(AiMessage.from(truncate(text, 2000)));
                messages.add(UserMessage.from(prompts.repairMessage(outcome.problems(), ctx)));
                String repaired = call(messages, ctx);
                ReplyValidator.Outcome second = check(repaired, ctx, p.exampleIds);
                if (second.ok()) valid = second.valid();
                else failure = "LLM reply invalid after one repair (" + String.join("; ", second.problems()) + ")";
            }
        } catch (Cancelled c) {
            Thread.currentThread().interrupt();
            return cancelled(t0);
        } catch (CallFailed f) {
            failure = f.getMessage();
        } finally {
            permits.release();
        }
        // the local model's reading is taken without holding a permit: it makes no request
        if (valid != null) return suggestion(valid, evidence, ticket, ctx, local, t0);
        if (Thread.currentThread().isInterrupted()) return cancelled(t0);
        return fallback(ticket, ctx, local, failure, t0);
    }

    // ---- other tasks on the same endpoint ------------------------------------------------------

    /** A failed or cancelled {@link #exchange}; the message is safe to show (no key). */
    public static final class ExchangeException extends RuntimeException {
        private final boolean cancelled;

        ExchangeException(String message, boolean cancelled) {
            super(message, null, false, false);
            this.cancelled = cancelled;
        }

        public boolean cancelled() {
            return cancelled;
        }
    }

    /**
     * One JSON request/reply on this engine's endpoint for a task other than triage (the duplicate
     * check): same key handling, concurrency limit, retries, cancellation and egress ledger. The reply
     * is constrained by {@code schema} where the server supports JSON schema, else by JSON mode.
     * Callers put only text they are allowed to send into the messages (see {@link #outgoing}); the
     * egress ledger records {@code purpose} with each attempt.
     *
     * @throws ExchangeException when the call fails after retries or the thread is interrupted
     */
    public String exchange(String purpose, String system, String user, JsonSchema schema) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExchangeException("cancelled", true);
        }
        try {
            return call(List.of(SystemMessage.from(system), UserMessage.from(user)),
                    () -> effectiveMode() == LlmSettings.ResponseMode.JSON_OBJECT ? ResponseFormat.JSON
                            : ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(schema).build(), purpose);
        } catch (Cancelled c) {
            Thread.currentThread().interrupt();
            throw new ExchangeException("cancelled", true);
        } catch (CallFailed f) {
            throw new ExchangeException(f.getMessage(), false);
        } finally {
            permits.release();
        }
    }

    /** The ticket as it may leave the machine: PII-redacted when the settings say so, else unchanged. */
    public TicketText outgoing(TicketText ticket) {
        return settings.redact() ? redact(ticket, redactor, requesterNames.apply(ticket)) : ticket;
    }

    // ---- preparing the prompt ----------------------------------------------------------------

    private record Prepared(String system, String user, List<Evidence> evidence, List<String> exampleIds) {}

    private Prepared prepare(TicketText ticket, TriageContext ctx) {
        List<ExampleRetriever.Example> examples;
        try {
            examples = settings.examples() == 0 ? List.of() : retriever.nearest(ticket, settings.examples());
            if (examples == null) examples = List.of();
            examples = examples.stream()
                    .filter(e -> e != null && e.ticket() != null && !Objects.equals(e.ticket().text().id(), ticket.id()))
                    .limit(settings.examples()).toList();
        } catch (RuntimeException e) {
            examples = List.of(); // examples are an aid, not a requirement
        }
        List<Evidence> evidence = examples.stream().map(ExampleRetriever.Example::toEvidence).toList();
        List<String> ids = examples.stream().map(e -> e.ticket().text().id()).filter(Objects::nonNull).toList();
        TicketText sendTicket = ticket;
        List<ExampleRetriever.Example> sendExamples = examples;
        if (settings.redact()) {
            Redactor r = redactor;
            Collection<String> names = requesterNames.apply(ticket);
            PromptBuilder.Limits l = prompts.limits();
            // only what the prompt can carry is redacted (the prompt cuts the rest anyway)
            sendTicket = redact(ticket, r, names, l.subject(), l.body(), l.update());
            // an example is another ticket: its own requester's names go too, besides this ticket's
            sendExamples = examples.stream().map(e -> {
                java.util.Set<String> exampleNames = new java.util.LinkedHashSet<>(names);
                exampleNames.addAll(requesterNames.apply(e.ticket().text()));
                return new ExampleRetriever.Example(new LabelledTicket(
                        redact(e.ticket().text(), r, exampleNames, l.exampleSubject(), l.exampleBody(), l.exampleBody()),
                        e.ticket().team(), e.ticket().priority(), e.ticket().decidedAt(), e.ticket().weight()), e.similarity());
            }).toList();
        }
        return new Prepared(prompts.systemMessage(ctx), prompts.userMessage(sendTicket, ctx, sendExamples), evidence, ids);
    }

    private static TicketText redact(TicketText t, Redactor r, Collection<String> names) {
        return new TicketText(t.id(), r.redact(t.subject(), names).text(), r.redact(t.body(), names).text(),
                t.updates().stream().map(u -> r.redact(u, names).text()).toList());
    }

    /** Each part redacted up to what a prompt field of the given size carries ({@link PromptBuilder#redactHead}). */
    private static TicketText redact(TicketText t, Redactor r, Collection<String> names, int subject, int body, int update) {
        UnaryOperator<String> red = x -> r.redact(x, names).text();
        return new TicketText(t.id(), PromptBuilder.redactHead(t.subject(), subject, red), PromptBuilder.redactHead(t.body(), body, red),
                t.updates().stream().map(u -> PromptBuilder.redactHead(u, update, red)).toList());
    }

    // ---- calling ------------------------------------------------------------------------------

    private static final class Cancelled extends Exception {
        Cancelled() {
            super(null, null, false, false);
        }
    }

    private static final class CallFailed extends Exception {
        CallFailed(String message) {
            super(message, null, false, false);
        }
    }

    private enum Kind { CANCELLED, TIMEOUT, REFUSED, UNREACHABLE, RATE_LIMITED, SERVER, CLIENT, TOO_LARGE, OTHER }

    private record Failure(Kind kind, int status, Duration retryAfter, String message) {
        boolean retryable() {
            return switch (kind) {
                case TIMEOUT, REFUSED, UNREACHABLE, RATE_LIMITED, SERVER -> true;
                default -> false;
            };
        }

        String outcome() {
            return switch (kind) {
                case CANCELLED -> "cancelled";
                case TIMEOUT -> "timeout";
                case REFUSED -> "connection refused";
                case RATE_LIMITED, SERVER, CLIENT -> "http " + status;
                case TOO_LARGE -> "reply too large";
                case UNREACHABLE, OTHER -> "error";
            };
        }
    }

    /** One logical call with bounded retries; returns the reply text. */
    private String call(List<ChatMessage> messages, TriageContext ctx) throws Cancelled, CallFailed {
        return call(messages, () -> responseFormat(ctx), EgressListener.TRIAGE);
    }

    private String call(List<ChatMessage> messages, java.util.function.Supplier<ResponseFormat> format, String purpose)
            throws Cancelled, CallFailed {
        int attempts = 0;
        int maxAttempts = 1 + settings.maxRetries();
        int promptChars = messages.stream().mapToInt(LlmEngine::chars).sum();
        while (true) {
            if (Thread.currentThread().isInterrupted()) throw new Cancelled();
            attempts++;
            ChatRequest request = ChatRequest.builder().messages(messages).responseFormat(format.get()).build();
            Instant at = clock.instant();
            try {
                ChatResponse response = model.chat(request);
                report(at, promptChars, "ok", purpose);
                String text = response.aiMessage() == null ? null : response.aiMessage().text();
                return text == null ? "" : text;
            } catch (RuntimeException e) {
                Failure f = classify(e);
                report(at, promptChars, f.outcome(), purpose);
                if (f.kind() == Kind.CANCELLED || Thread.currentThread().isInterrupted()) throw new Cancelled();
                if (f.kind() == Kind.CLIENT && f.status() == 400 && mentionsFormat(f.message())
                        && effectiveMode() == LlmSettings.ResponseMode.JSON_SCHEMA && schemaUnsupported.compareAndSet(false, true)) {
                    attempts--; // the server does not do JSON schema: switch to JSON mode for good, retry at once
                    continue;
                }
                if (f.kind() == Kind.RATE_LIMITED && f.retryAfter() != null && f.retryAfter().compareTo(maxBackoff) > 0) {
                    throw new CallFailed("LLM rate-limited (server asks to wait " + f.retryAfter().toSeconds() + " s)");
                }
                if (!f.retryable() || attempts >= maxAttempts) throw new CallFailed(describe(f, attempts));
                sleep(backoff(attempts, f.retryAfter()));
            }
        }
    }

    private Failure classify(RuntimeException e) {
        String key = null;
        try {
            key = settings.apiKey().get();
        } catch (RuntimeException ignored) {
            // not needed for scrubbing then
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LlmTransport.CancelledException) return new Failure(Kind.CANCELLED, 0, null, "cancelled");
            if (t instanceof LlmTransport.KeyUnavailableException k) return new Failure(Kind.OTHER, 0, null, k.getMessage());
            // a server that sends megabytes will do it again: not retried, not asked to repair
            if (t instanceof LlmTransport.ReplyTooLargeException r) return new Failure(Kind.TOO_LARGE, 0, null, r.getMessage());
            if (t instanceof LlmTransport.UnreachableException u) {
                return new Failure(u.refused ? Kind.REFUSED : Kind.UNREACHABLE, 0, null, u.getMessage());
            }
            if (t instanceof TimeoutException) return new Failure(Kind.TIMEOUT, 0, null, "timeout");
            if (t instanceof HttpException h) {
                int s = h.statusCode();
                Duration ra = h instanceof LlmTransport.StatusException se ? se.retryAfter() : null;
                String msg = LlmTransport.scrub(h.getMessage(), key);
                if (s == 429) return new Failure(Kind.RATE_LIMITED, s, ra, msg);
                if (s == 408) return new Failure(Kind.TIMEOUT, s, null, msg);
                if (s >= 500) return new Failure(Kind.SERVER, s, ra, msg);
                return new Failure(Kind.CLIENT, s, null, msg);
            }
            if (t instanceof InterruptedException) return new Failure(Kind.CANCELLED, 0, null, "cancelled");
            // a 200 whose body is no JSON (a proxy's login page, a web server at the base URL): the parser's
            // "Unexpected character ('<' (code 60))" says nothing about what to check
            if (t instanceof com.fasterxml.jackson.core.JsonProcessingException) {
                return new Failure(Kind.OTHER, 0, null, "the server's reply is not JSON: is the base URL the "
                        + (settings.provider() == LlmSettings.Provider.OLLAMA ? "Ollama server's" : "API's (ending in /v1)") + "?");
            }
        }
        return new Failure(Kind.OTHER, 0, null, e.getClass().getSimpleName() + ": " + LlmTransport.scrub(e.getMessage(), key));
    }

    private String describe(Failure f, int attempts) {
        String tries = attempts == 1 ? "1 try" : attempts + " tries";
        return switch (f.kind()) {
            case TIMEOUT -> "LLM timed out after " + tries;
            case REFUSED -> "LLM unreachable (connection refused) after " + tries;
            case UNREACHABLE -> "LLM unreachable (" + f.message() + ") after " + tries;
            case RATE_LIMITED -> "LLM rate-limited (HTTP 429) after " + tries;
            case SERVER -> "LLM server error (HTTP " + f.status() + ") after " + tries;
            case CLIENT -> "LLM rejected the request (HTTP " + f.status() + (f.message().isEmpty() ? "" : ": " + truncate(f.message(), 120)) + ")";
            case TOO_LARGE -> f.message() + " (not retried)";
            case CANCELLED -> "cancelled";
            case OTHER -> "LLM call failed (" + truncate(f.message(), 120) + ") after " + tries;
        };
    }

    private static boolean mentionsFormat(String message) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        return m.contains("response_format") || m.contains("json_schema") || m.contains("schema") || m.contains("format");
    }

    private Duration backoff(int attempt, Duration retryAfter) {
        if (retryAfter != null) return retryAfter.compareTo(maxBackoff) > 0 ? maxBackoff : retryAfter;
        long base = baseBackoff.toMillis() << Math.min(attempt - 1, 10);
        long jittered = (long) (base * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
        return Duration.ofMillis(Math.min(jittered, maxBackoff.toMillis()));
    }

    private static void sleep(Duration d) throws Cancelled {
        if (d.isZero() || d.isNegative()) return;
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Cancelled();
        }
    }

    private void report(Instant at, int promptChars, String outcome, String purpose) {
        try {
            egress.sent(settings.endpoint(), settings.model(), promptChars, at, outcome, purpose);
        } catch (RuntimeException ignored) {
            // a broken ledger must not break triage
        }
    }

    private LlmSettings.ResponseMode effectiveMode() {
        return schemaUnsupported.get() ? LlmSettings.ResponseMode.JSON_OBJECT : settings.responseMode();
    }

    private ResponseFormat responseFormat(TriageContext ctx) {
        if (effectiveMode() == LlmSettings.ResponseMode.JSON_OBJECT) return ResponseFormat.JSON;
        return ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(replySchema(ctx)).build();
    }

    /** The reply schema: team and priority as enums of the allowed values (excluded teams removed). */
    static JsonSchema replySchema(TriageContext ctx) {
        JsonObjectSchema.Builder root = JsonObjectSchema.builder()
                .addEnumProperty("team", PromptBuilder.allowedTeams(ctx), "one of the allowed team names");
        List<String> priorities = ctx.taxonomy().priorityNames();
        if (priorities.isEmpty()) root.addStringProperty("priority", "empty string: no priority levels are defined");
        else root.addEnumProperty("priority", priorities, "one of the allowed priority names");
        root.addNumberProperty("confidence", "probability from 0 to 1 that the team is right")
                .addStringProperty("rationale", "one or two sentences")
                .addProperty("duplicate_of", JsonAnyOfSchema.builder()
                        .description("id of an example ticket reporting the same issue, or null")
                        .anyOf(JsonStringSchema.builder().build(), new JsonNullSchema()).build())
                .required("team", "priority", "confidence", "rationale", "duplicate_of")
                .additionalProperties(false);
        return JsonSchema.builder().name("triage_reply").rootElement(root.build()).build();
    }

    // ---- results --------------------------------------------------------------------------------

    private static ReplyValidator.Outcome check(String text, TriageContext ctx, List<String> exampleIds) {
        try {
            return ReplyValidator.validate(LlmReply.parse(text), ctx, exampleIds);
        } catch (LlmReply.MalformedReplyException e) {
            return new ReplyValidator.Outcome(null, List.of(e.getMessage()));
        }
    }

    /**
     * The validated reply as a suggestion. It is confident only when two independent readings agree: the
     * LLM's self-reported confidence (uncalibrated) reaches the threshold AND the local model (the
     * fallback engine) ranks the same team first for this ticket. With no local prediction (no decided
     * tickets yet), a ticket unlike every decided one, or another first choice it is not, and the note says why; so neither Enter's "Confident"
     * nor the bulk accept ever rests on the LLM's own number alone. {@code local} is the local suggestion
     * when hybrid mode already asked for it, else null (it is asked here, only when it matters).
     */
    private TriageSuggestion suggestion(ReplyValidator.Valid v, List<Evidence> evidence, TicketText ticket, TriageContext ctx,
                                        TriageSuggestion local, long t0) {
        String rationale = v.rationale();
        if (v.duplicateOf() != null) rationale = (rationale + " Possible duplicate of " + v.duplicateOf() + ".").strip();
        List<Prediction> priorities = v.priority() == null ? List.of() : List.of(new Prediction(v.priority(), v.confidence()));
        // a missing or invalid confidence is never confident (not eligible for bulk accept), whatever the threshold
        boolean confident = v.confidenceGiven() && v.confidence() >= confidentAbove;
        String note = v.confidenceNote();
        if (confident) {
            String disagreement = disagreement(v.team(), local != null ? local : safeFallback(ticket, ctx));
            if (disagreement != null) {
                confident = false;
                note = note.isEmpty() ? disagreement : note + "; " + disagreement;
            }
        }
        return new TriageSuggestion(Status.OK, List.of(new Prediction(v.team(), v.confidence())), priorities,
                confident, rationale, evidence, ID, settings.model(), note, micros(t0));
    }

    /** Why {@code team} cannot be confident against the local reading, or null when the local model's first choice is the same team. */
    private String disagreement(String team, TriageSuggestion reading) {
        String who = "local".equals(reading.engine()) || "local".equals(fallback.id()) ? "the local model" : "the " + fallback.id() + " engine";
        String first = reading.status() == Status.OK ? reading.topTeam() : null;
        if (first == null) return "Not marked confident: " + who + " has no suggestion to agree with yet";
        // a local first choice for a ticket unlike all decided ones is a guess (often the catch-all team): no agreement
        if (reading.unlikeDecided()) return "Not marked confident: the ticket is unlike the decided tickets " + who + " knows";
        if (first.equals(team)) return null;
        return "Not marked confident: " + who + "'s first choice is " + first;
    }

    private TriageSuggestion fallback(TicketText ticket, TriageContext ctx, TriageSuggestion local, String reason, long t0) {
        TriageSuggestion f = local != null ? local : safeFallback(ticket, ctx);
        String used = "local".equals(f.engine()) || "local".equals(fallback.id()) ? "local model used" : fallback.id() + " engine used";
        String note = reason + "; " + used + (f.note().isEmpty() ? "" : " (" + f.note() + ")");
        Status status = f.status() == Status.OK ? Status.FALLBACK : f.status();
        return new TriageSuggestion(status, f.teams(), f.priorities(), f.confident(), f.rationale(), f.evidence(),
                f.engine(), f.model(), note, micros(t0));
    }

    private TriageSuggestion safeFallback(TicketText ticket, TriageContext ctx) {
        try {
            TriageSuggestion s = fallback.suggest(ticket, ctx);
            return s != null ? s : TriageSuggestion.none(Status.ERROR, fallback.id(), null, "fallback returned nothing");
        } catch (RuntimeException e) {
            return TriageSuggestion.none(Status.ERROR, fallback.id(), null, "fallback failed: " + e.getClass().getSimpleName());
        }
    }

    private TriageSuggestion cancelled(long t0) {
        return new TriageSuggestion(Status.ERROR, List.of(), List.of(), false, "", List.of(), ID, settings.model(), "cancelled", micros(t0));
    }

    private static long micros(long t0) {
        return (System.nanoTime() - t0) / 1000;
    }

    private static int chars(ChatMessage m) {
        if (m instanceof SystemMessage s) return s.text().length();
        if (m instanceof UserMessage u) return u.singleText().length();
        if (m instanceof AiMessage a) return a.text() == null ? 0 : a.text().length();
        return 0;
    }

    private static String truncate(String s, int max) {
        if (s == null) return "";
        return s.length() <= max ? s : s.substring(0, max) + "\u2026";
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "LlmEngine[" + settings + "]";
    }
}
