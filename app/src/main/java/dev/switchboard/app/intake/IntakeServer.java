package dev.switchboard.app.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.app.importer.TicketFields;
import dev.switchboard.inference.text.Mojibake;
import dev.switchboard.persistence.entity.Ticket;
import dev.switchboard.persistence.store.ImportBatchResult;
import dev.switchboard.persistence.store.NewTicket;
import dev.switchboard.persistence.store.QueueRow;
import dev.switchboard.persistence.store.TaxonomyRow;
import dev.switchboard.persistence.store.TicketStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Local HTTP intake: other tools on this machine POST tickets; they land in the queue like any other.
 *
 * <pre>
 * POST /api/tickets   Authorization: Bearer TOKEN   Content-Type: application/json (or none: read as JSON)
 *   {"subject": "...", "body": "...", "requester": "...", "id": "...", "created": "...", "team": "...", "priority": "..."}
 *   or an array of such objects (subject or body required; the rest optional)
 *   → 201 {"created":[ids], "alreadyPresent": n}   (200 when every ticket was already present, by id)
 *     plus "decided":[{"id":7,"status":"RESOLVED","team":"Network","priority":"P2"}] for tickets sent with
 *     a team: like an imported row with a team they are decided history (resolved, the team and priority
 *     recorded as an IMPORTED decision the local model learns), not queued for triage;
 *     and "warnings":["[0]: body cut from 1,500,000 to 1,000,000 characters (the limit)"] when a body
 *     over {@link Ticket#MAX_BODY} characters (or a subject over {@link Ticket#MAX_SUBJECT}) was cut to it (the
 *     ticket is kept, as a file import keeps it)
 * GET  /api/health    → 200 {"status":"ok"}   (no token needed)
 * </pre>
 * Bound to the loopback address only. The reply is sent after the store committed the tickets. Errors:
 * 400 (invalid JSON, wrong types, unknown fields, missing subject and body, a priority without a team
 * or not a defined level), 401 (missing or wrong token), 405 (other methods), 413 (request over
 * {@link #MAX_REQUEST_BYTES}), 415 (a Content-Type other than JSON: see {@link #unsupportedType}), 503 (store failed).
 * Tickets with an {@code id} are de-duplicated on it; without one every POST creates a ticket. Text
 * that an upstream system mis-decoded ("fÃ¼r") is repaired ({@link Mojibake}).
 */
public final class IntakeServer implements AutoCloseable {

    public static final String SOURCE = "intake";
    public static final int MAX_REQUEST_BYTES = 2 * 1024 * 1024;
    private static final Set<String> FIELDS = Set.of("subject", "body", "requester", "id", "created", "team", "priority");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger("switchboard.intake");

    /**
     * Seconds a request may take to arrive (request line, headers and body); then the JDK server closes
     * the connection. Without it a client that never finishes its request holds a worker for ever.
     */
    static final int MAX_REQUEST_SECONDS = 5;
    /** Requests handled at once (more wait their turn); idle threads end after {@link #IDLE_THREAD_SECONDS}. */
    static final int WORKERS = 32;
    static final int IDLE_THREAD_SECONDS = 30;
    static final String MAX_REQ_TIME_PROPERTY = "sun.net.httpserver.maxReqTime";

    static {
        // The JDK's HttpServer reads this once per process, when its first server is created (ServerConfig,
        // in seconds; -1, forever, by default); jwebserver sets it the same way. An explicit -D is respected.
        if (System.getProperty(MAX_REQ_TIME_PROPERTY) == null) {
            System.setProperty(MAX_REQ_TIME_PROPERTY, Integer.toString(MAX_REQUEST_SECONDS));
        }
    }

    private final TicketStore store;
    private final byte[] token;
    private final int maxRequestBytes;
    private HttpServer server;
    private ExecutorService executor;

    /** @param token the bearer token clients must send (see {@link IntakeToken}) */
    public IntakeServer(TicketStore store, String token) {
        this(store, token, MAX_REQUEST_BYTES);
    }

    public IntakeServer(TicketStore store, String token, int maxRequestBytes) {
        if (token == null || token.length() < 16) throw new IllegalArgumentException("the intake token must have at least 16 characters");
        this.store = store;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.maxRequestBytes = maxRequestBytes;
    }

    /** Starts listening on 127.0.0.1; port 0 picks a free port (see {@link #port()}). */
    public synchronized IntakeServer start(int port) throws IOException {
        if (server != null) throw new IllegalStateException("already started");
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        s.createContext("/api/tickets", this::tickets);
        s.createContext("/api/health", this::health);
        s.createContext("/", ex -> reply(ex, 404, error("not found: use POST /api/tickets or GET /api/health")));
        // A worker reads the request before the handler runs: a slow or stalled client holds one until
        // MAX_REQUEST_SECONDS, so there are enough that a few such clients do not keep others waiting.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(WORKERS, WORKERS, IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "switchboard-intake");
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        executor = pool;
        s.setExecutor(executor);
        s.start();
        server = s;
        LOG.log(System.Logger.Level.INFO, "intake listening on {0}", url());
        return this;
    }

    /** Stops accepting requests, giving running ones up to a second. */
    public synchronized void stop() {
        if (server == null) return;
        server.stop(1);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server = null;
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    public synchronized int port() {
        if (server == null) throw new IllegalStateException("not started");
        return server.getAddress().getPort();
    }

    public synchronized InetSocketAddress address() {
        if (server == null) throw new IllegalStateException("not started");
        return server.getAddress();
    }

    /** e.g. {@code http://127.0.0.1:8765/api/tickets} */
    public String url() {
        InetSocketAddress a = address();
        return "http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + "/api/tickets";
    }

    // ---------------------------------------------------------------- handlers

    private void health(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET");
                reply(ex, 405, error("method " + ex.getRequestMethod() + " not allowed; use GET"));
                return;
            }
            ObjectNode n = JSON.createObjectNode().put("status", "ok");
            reply(ex, 200, n);
        }
    }

    private void tickets(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestURI().getPath().equals("/api/tickets")) {
                reply(ex, 404, error("not found"));
                return;
            }
            if (!ex.getRequestMethod().equals("POST")) {
                ex.getResponseHeaders().set("Allow", "POST");
                reply(ex, 405, error("method " + ex.getRequestMethod() + " not allowed; use POST"));
                return;
            }
            if (!authorized(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"switchboard\"");
                reply(ex, 401, error("missing or wrong bearer token (Authorization: Bearer TOKEN)"));
                return;
            }
            String unsupported = unsupportedType(ex.getRequestHeaders().getFirst("Content-Type"));
            if (unsupported != null) {
                drain(ex);
                ex.getResponseHeaders().set("Accept-Post", ACCEPTED_TYPE);
                ObjectNode e = error(unsupported);
                e.putArray("accepted").add(ACCEPTED_TYPE);
                reply(ex, 415, e);
                return;
            }
            String len = ex.getRequestHeaders().getFirst("Content-Length");
            if (len != null) {
                long n;
                try {
                    n = Long.parseLong(len.strip());
                } catch (NumberFormatException e) {
                    reply(ex, 400, error("invalid Content-Length"));
                    return;
                }
                if (n > maxRequestBytes) {
                    drain(ex);
                    reply(ex, 413, error("request of " + n + " bytes is over the limit of " + maxRequestBytes + " bytes"));
                    return;
                }
            }
            byte[] body = ex.getRequestBody().readNBytes(maxRequestBytes + 1); // closed with the exchange
            if (body.length > maxRequestBytes) {
                drain(ex);
                reply(ex, 413, error("request is over the limit of " + maxRequestBytes + " bytes"));
                return;
            }
            Parsed parsed;
            try {
                parsed = parse(body, priorityNames());
            } catch (BadRequest e) {
                reply(ex, 400, error(e.getMessage()));
                return;
            }
            ImportBatchResult r;
            try {
                r = store.saveTickets(parsed.tickets(), SOURCE).get(60, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                reply(ex, 503, error("the database did not answer in time; retry"));
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reply(ex, 503, error("interrupted"));
                return;
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "intake: saving failed", e);
                reply(ex, 503, error("saving failed: " + e.getClass().getSimpleName()));
                return;
            }
            ObjectNode out = JSON.createObjectNode();
            ArrayNode ids = out.putArray("created");
            r.createdIds().forEach(ids::add);
            out.put("alreadyPresent", r.alreadyPresent());
            if (!r.decidedIds().isEmpty()) {
                // tickets with a team are stored as decided history: say so, with what was stored
                ArrayNode decided = out.putArray("decided");
                for (QueueRow row : store.rows(r.decidedIds())) {
                    decided.addObject().put("id", row.id()).put("status", row.status()).put("team", row.team())
                            .put("priority", row.priority());
                }
            }
            if (!parsed.warnings().isEmpty()) {
                ArrayNode w = out.putArray("warnings");
                parsed.warnings().forEach(w::add);
            }
            reply(ex, r.createdIds().isEmpty() ? 200 : 201, out);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "intake: connection problem: {0}", e.getMessage());
        }
    }

    /**
     * Reads and discards what is left of a refused request (up to {@link #MAX_DRAIN} bytes) so the client,
     * still sending, gets the 413 instead of a connection reset. Larger requests just lose the connection.
     */
    private static void drain(HttpExchange ex) {
        ex.getResponseHeaders().set("Connection", "close");
        try (InputStream in = ex.getRequestBody()) {
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            int n;
            while (total < MAX_DRAIN && (n = in.read(buf)) > 0) total += n;
        } catch (IOException ignored) {
            // the client went away; nothing to answer
        }
    }

    private static final long MAX_DRAIN = 16L * 1024 * 1024;

    /** The one media type the intake reads. */
    static final String ACCEPTED_TYPE = "application/json";

    /**
     * Why a request with this Content-Type header is refused (415), or null when its body is read as JSON:
     * {@code application/json} or a {@code +json} type ({@code application/vnd.acme+json}), in UTF-8 (a charset
     * parameter naming another is refused: the body would be misread). A request without the header is read as
     * JSON too, and refused with 400 if it is not; everything else (a form, text, CSV) is refused before its body
     * is read. {@code curl -d} alone sends {@code application/x-www-form-urlencoded}, so the message says how to send JSON.
     */
    static String unsupportedType(String header) {
        if (header == null || header.isBlank()) return null;
        String[] parts = header.split(";");
        String type = parts[0].strip().toLowerCase(java.util.Locale.ROOT);
        boolean json = type.equals(ACCEPTED_TYPE) || type.startsWith("application/") && type.endsWith("+json");
        if (!json) {
            return "Content-Type " + TicketFields.cut(type, 80) + " is not accepted: send " + ACCEPTED_TYPE
                    + " (UTF-8); with curl, add -H 'Content-Type: " + ACCEPTED_TYPE + "' or use --json instead of -d";
        }
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            if (kv.length < 2 || !kv[0].strip().equalsIgnoreCase("charset")) continue;
            String cs = kv[1].strip().replace("\"", "").toLowerCase(java.util.Locale.ROOT);
            if (!cs.equals("utf-8") && !cs.equals("utf8") && !cs.equals("us-ascii")) {
                return "charset " + TicketFields.cut(cs, 40) + " is not accepted: send " + ACCEPTED_TYPE + " in UTF-8";
            }
        }
        return null;
    }

    /** Constant-time comparison of the bearer token. */
    boolean authorized(String header) {
        if (header == null) return false;
        String h = header.strip();
        if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
        byte[] given = h.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token);
    }

    // ---------------------------------------------------------------- parsing

    private static final class BadRequest extends Exception {
        BadRequest(String m) {
            super(m);
        }
    }

    /** The tickets of a request, and what was changed to store them (e.g. "[0]: body cut from …"). */
    record Parsed(List<NewTicket> tickets, List<String> warnings) {}

    /** The names of the defined priority levels, in rank order. */
    private List<String> priorityNames() {
        return store.priorities().stream().map(TaxonomyRow::name).toList();
    }

    /**
     * Validates a request body into tickets; any problem rejects the whole request (nothing is stored).
     *
     * @param priorities the defined priority levels: a ticket's priority must be one of them
     */
    static Parsed parse(byte[] body, List<String> priorities) throws BadRequest {
        if (body.length == 0) throw new BadRequest("empty request: send a JSON object or an array of objects");
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequest("invalid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() : ""));
        } catch (IOException e) {
            throw new BadRequest("invalid JSON: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) throw new BadRequest("empty request: send a JSON object or an array of objects");
        List<NewTicket> out = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (root.isObject()) {
            out.add(ticket(root, "ticket", priorities, warnings));
        } else if (root.isArray()) {
            if (root.isEmpty()) throw new BadRequest("empty array: send at least one ticket");
            for (int i = 0; i < root.size(); i++) out.add(ticket(root.get(i), "[" + i + "]", priorities, warnings));
        } else {
            throw new BadRequest("expected a JSON object or an array of objects, got " + root.getNodeType().toString().toLowerCase());
        }
        return new Parsed(out, warnings);
    }

    private static NewTicket ticket(JsonNode n, String where, List<String> priorities, List<String> warnings) throws BadRequest {
        if (!n.isObject()) throw new BadRequest(where + ": expected an object, got " + n.getNodeType().toString().toLowerCase());
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new BadRequest(where + ": unknown field '" + f + "' (known: subject, body, requester, id, created, team, priority)");
            }
        }
        String subject = TicketFields.line(Mojibake.repair(text(n, "subject", where, false))).value().strip();
        String body = TicketFields.clean(Mojibake.repair(text(n, "body", where, false))).value().strip();
        if (subject.isEmpty() && body.isEmpty()) throw new BadRequest(where + ": subject or body is required");
        if (body.length() > Ticket.MAX_BODY) {
            // a request within the byte limit can still carry a body over the store's: kept, cut, said so
            warnings.add(where + ": " + TicketFields.bodyCutNote(body.length()));
            body = TicketFields.fitBody(body);
        }
        if (subject.isEmpty()) subject = TicketFields.line(TicketFields.subjectFromBody(body)).value().strip();
        if (subject.length() > Ticket.MAX_SUBJECT) {
            // as a file import does: the ticket is kept with its subject cut, and the reply says so
            warnings.add(String.format(java.util.Locale.ROOT, "%s: subject cut from %,d to %,d characters (the limit)", where,
                    subject.length(), Ticket.MAX_SUBJECT));
            subject = TicketFields.cut(subject, Ticket.MAX_SUBJECT);
        }
        String requester = TicketFields.line(Mojibake.repair(text(n, "requester", where, false))).value().strip();
        if (requester.length() > TicketFields.MAX_REQUESTER) {
            throw new BadRequest(where + ": requester is over " + TicketFields.MAX_REQUESTER + " characters");
        }
        String id = text(n, "id", where, true);
        String created = text(n, "created", where, true);
        Instant at;
        try {
            at = TicketFields.parseCreated(created, ZoneOffset.UTC);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(where + ".created: " + e.getMessage());
        }
        String team = TicketFields.label(text(n, "team", where, false));
        if (team.length() > TicketFields.MAX_TEAM) throw new BadRequest(where + ": team is over " + TicketFields.MAX_TEAM + " characters");
        String priority = TicketFields.label(text(n, "priority", where, false));
        // The store keeps a priority only on decided history (a ticket with a team), and only a defined
        // level; anything else would be dropped without a word, so it is refused with the reason.
        if (!priority.isEmpty() && team.isEmpty()) {
            throw new BadRequest(where + ": a priority is stored only with a team (the ticket is then decided history);"
                    + " leave both out to have the ticket triaged, its priority suggested");
        }
        if (!priority.isEmpty() && !priorities.contains(priority)) {
            throw new BadRequest(where + ".priority '" + priority + "' is not a defined priority level ("
                    + (priorities.isEmpty() ? "none defined yet" : "defined: " + String.join(", ", priorities)) + ")");
        }
        return new NewTicket(SOURCE, TicketFields.externalId(id), subject, body,
                requester.isEmpty() ? null : requester, at, team.isEmpty() ? null : team,
                priority.isEmpty() ? null : priority);
    }

    private static String text(JsonNode n, String field, String where, boolean numberOk) throws BadRequest {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return "";
        if (v.isTextual()) return v.asText();
        if (numberOk && v.isIntegralNumber()) return v.asText();
        throw new BadRequest(where + "." + field + " must be a string" + (numberOk ? " or an integer" : "")
                + ", got " + v.getNodeType().toString().toLowerCase());
    }

    // ---------------------------------------------------------------- replies

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    private static void reply(HttpExchange ex, int status, JsonNode json) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(json);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }
}
