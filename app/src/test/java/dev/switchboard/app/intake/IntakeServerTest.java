package dev.switchboard.app.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.app.Workspace;
import dev.switchboard.persistence.store.QueueRow;
import dev.switchboard.persistence.store.TaxonomyRow;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntakeServerTest {

    @TempDir static Path dir;
    static Workspace ws;
    static IntakeServer server;
    static String token;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        ws = Workspace.open("jdbc:h2:file:" + dir.resolve("db"));
        token = IntakeToken.loadOrCreate(dir.resolve("secret/intake-token"));
        server = new IntakeServer(ws.store(), token, 64 * 1024).start(0);
    }

    @AfterAll
    static void stop() {
        server.stop();
        ws.close();
    }

    private static HttpResponse<String> post(String auth, HttpRequest.BodyPublisher body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url())).POST(body)
                .header("Content-Type", "application/json");
        if (auth != null) b.header("Authorization", auth);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String json) throws Exception {
        return post("Bearer " + token, HttpRequest.BodyPublishers.ofString(json));
    }

    @Test
    void textAnUpstreamSystemMisDecodedArrivesReadable() throws Exception {
        HttpResponse<String> r = post("{\"subject\":\"Berechtigung fÃ¼r Ordner\",\"body\":\"ich benÃ¶tige Zugriff\"}");
        assertThat(r.statusCode()).isEqualTo(201);
        QueueRow row = ws.store().queue().stream().filter(q -> q.subject().startsWith("Berechtigung")).findFirst().orElseThrow();
        assertThat(row.subject()).isEqualTo("Berechtigung für Ordner");
        assertThat(ws.store().detail(row.id()).orElseThrow().body()).isEqualTo("ich benötige Zugriff");
    }

    @Test
    void aPostedSubjectIsOneLineWithoutBidiOverrides() throws Exception {
        HttpResponse<String> r = post("{\"subject\":\"bidi Invoice \\u202Egpj.exe\\u202C\\r\\nplease\",\"body\":\"b\","
                + "\"requester\":\"eve\\u202E\"}");
        assertThat(r.statusCode()).isEqualTo(201);
        QueueRow row = ws.store().queue().stream().filter(q -> q.subject().startsWith("bidi ")).findFirst().orElseThrow();
        assertThat(row.subject()).isEqualTo("bidi Invoice gpj.exe please");
        assertThat(row.requester()).isEqualTo("eve");
    }

    @Test
    void postedTicketsAreStoredBeforeTheReply() throws Exception {
        HttpResponse<String> r = post("[{\"subject\":\"it VPN down\",\"body\":\"since 9:00\",\"requester\":\"ann@example.com\",\"id\":\"EXT-1\","
                + "\"created\":\"2024-05-01T08:00:00Z\"},{\"body\":\"it printer\\njams\"}]");
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.body()).matches("\\{\"created\":\\[\\d+,\\d+],\"alreadyPresent\":0}");
        List<QueueRow> rows = ws.store().queue().stream().filter(q -> q.subject().startsWith("it ")).toList();
        assertThat(rows).extracting(QueueRow::subject).containsExactly("it VPN down", "it printer");
        assertThat(rows).extracting(QueueRow::source).containsOnly("intake");
        assertThat(rows.get(0).externalId()).isEqualTo("EXT-1");
        assertThat(rows.get(0).requester()).isEqualTo("ann@example.com");

        HttpResponse<String> again = post("{\"subject\":\"it VPN down\",\"body\":\"since 9:00\",\"id\":\"EXT-1\"}");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo("{\"created\":[],\"alreadyPresent\":1}");
    }

    @Test
    void badRequestsNameTheProblem() throws Exception {
        assertThat(post("{\"subject\": \"x\",")).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("invalid JSON");
        });
        assertThat(post("[{\"subject\":\"ok\"},{\"subject\":42}]")).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("[1].subject must be a string");
        });
        assertThat(post("{\"requester\":\"bob\"}")).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("subject or body is required");
        });
        assertThat(post("{\"subjct\":\"typo\"}")).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("unknown field 'subjct'");
        });
        assertThat(post("\"just a string\"").statusCode()).isEqualTo(400);
        assertThat(post("[]").statusCode()).isEqualTo(400);
        assertThat(ws.store().queue()).noneMatch(q -> q.subject().equals("ok"));
    }

    private static HttpResponse<String> postAs(String contentType, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url())).POST(HttpRequest.BodyPublishers.ofString(json))
                .header("Authorization", "Bearer " + token);
        if (contentType != null) b.header("Content-Type", contentType);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedWith415NamingTheTypeToSend() throws Exception {
        // curl -d without -H sends a form; a CSV or text body is not read as JSON either
        for (String type : List.of("application/x-www-form-urlencoded", "text/plain; charset=utf-8", "text/csv", "multipart/form-data; boundary=x")) {
            HttpResponse<String> r = postAs(type, "{\"subject\":\"ct415 wrong type\"}");
            assertThat(r.statusCode()).as(type).isEqualTo(415);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
            assertThat(r.headers().firstValue("Accept-Post")).hasValue("application/json");
            assertThat(r.body()).as(type).startsWith("{\"error\":\"Content-Type " + type.split(";")[0] + " is not accepted: send application/json")
                    .contains("-H 'Content-Type: application/json' or use --json").endsWith(",\"accepted\":[\"application/json\"]}");
        }
        // JSON in another charset would be misread
        HttpResponse<String> latin1 = postAs("application/json; charset=ISO-8859-1", "{\"subject\":\"ct415 wrong type\"}");
        assertThat(latin1.statusCode()).isEqualTo(415);
        assertThat(latin1.body()).contains("charset iso-8859-1 is not accepted: send application/json in UTF-8");
        assertThat(ws.store().queue()).noneMatch(q -> q.subject().startsWith("ct415 "));
        // the token is checked first: a client without one learns nothing else
        HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(URI.create(server.url()))
                .POST(HttpRequest.BodyPublishers.ofString("a=b")).header("Content-Type", "text/plain").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noToken.statusCode()).isEqualTo(401);
    }

    @Test
    void jsonTypesAndARequestWithoutAContentTypeAreReadAsJson() throws Exception {
        List<String> types = List.of("application/json", "Application/JSON; Charset=\"UTF-8\"", "application/vnd.acme.ticket+json");
        for (int i = 0; i < types.size(); i++) {
            String type = types.get(i);
            HttpResponse<String> r = postAs(type, "{\"subject\":\"ct json " + i + "\"}");
            assertThat(r.statusCode()).as(type + ": " + r.body()).isEqualTo(201);
        }
        // no Content-Type at all (curl -H 'Content-Type:', a bare script): read as JSON, refused as such when it is not
        assertThat(postAs(null, "{\"subject\":\"ct none\"}").statusCode()).isEqualTo(201);
        HttpResponse<String> notJson = postAs(null, "subject=ct+form");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("invalid JSON");
        assertThat(ws.store().queue()).filteredOn(q -> q.subject().startsWith("ct ")).hasSize(4);
    }

    @Test
    void tokenIsRequired() throws Exception {
        String json = "{\"subject\":\"unauth\"}";
        assertThat(post(null, HttpRequest.BodyPublishers.ofString(json)).statusCode()).isEqualTo(401);
        assertThat(post("Bearer wrong-token-of-some-length", HttpRequest.BodyPublishers.ofString(json)).statusCode()).isEqualTo(401);
        assertThat(post("Basic " + token, HttpRequest.BodyPublishers.ofString(json)).statusCode()).isEqualTo(401);
        assertThat(ws.store().queue()).noneMatch(q -> q.subject().equals("unauth"));
        assertThat(server.authorized("bearer " + token)).isTrue();
    }

    @Test
    void oversizedRequestsAreRefused() throws Exception {
        String big = "{\"subject\":\"big\",\"body\":\"" + "x".repeat(70 * 1024) + "\"}";
        assertThat(post(big).statusCode()).isEqualTo(413);
        // no Content-Length (chunked): the stream is capped
        HttpResponse<String> chunked = post("Bearer " + token,
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes())));
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(ws.store().queue()).noneMatch(q -> q.subject().equals("big"));
    }

    @Test
    void aBodyOverTheStoresLimitWithinTheRequestLimitIsCutAndSaidSo() throws Exception {
        // 1.2 million characters (1.2 MB) fit the default 2 MiB request limit but not the store's body column
        try (IntakeServer full = new IntakeServer(ws.store(), token).start(0)) {
            String json = "{\"subject\":\"long thread\",\"body\":\"" + "y".repeat(1_200_000) + "\"}";
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(full.url()))
                    .POST(HttpRequest.BodyPublishers.ofString(json)).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            assertThat(r.body()).contains("\"warnings\":[\"ticket: body cut from 1,200,000 to 1,000,000 characters (the limit)\"]");
            QueueRow row = ws.store().queue().stream().filter(q -> q.subject().equals("long thread")).findFirst().orElseThrow();
            assertThat(ws.store().detail(row.id()).orElseThrow().body()).hasSize(1_000_000).endsWith("y…");

            // a pasted log as the subject: kept, cut, said so (as an import does)
            HttpResponse<String> s = http.send(HttpRequest.newBuilder(URI.create(full.url()))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"subject\":\"long subject " + "z".repeat(5000) + "\"}"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(s.statusCode()).as(s.body()).isEqualTo(201);
            assertThat(s.body()).contains("\"warnings\":[\"ticket: subject cut from 5,013 to 1,000 characters (the limit)\"]");
            assertThat(ws.store().queue()).filteredOn(q -> q.subject().startsWith("long subject "))
                    .singleElement().satisfies(q -> assertThat(q.subject()).hasSize(1000).endsWith("z…"));
        }
    }

    @Test
    void aTeamMakesDecidedHistoryWithItsPriorityAndNoFieldIsDroppedSilently() throws Exception {
        // a priority that is not a defined level would be lost: refused, naming the levels
        HttpResponse<String> undefined = post("{\"subject\":\"th mail down\",\"team\":\"GRP_0\",\"priority\":\"P1\"}");
        assertThat(undefined.statusCode()).isEqualTo(400);
        assertThat(undefined.body()).contains("ticket.priority 'P1' is not a defined priority level (none defined yet)");
        // a priority is kept only on decided history: without a team it would be lost too
        HttpResponse<String> noTeam = post("{\"subject\":\"th printer\",\"priority\":\"P1\"}");
        assertThat(noTeam.statusCode()).isEqualTo(400);
        assertThat(noTeam.body()).contains("a priority is stored only with a team");
        assertThat(ws.store().queue()).noneMatch(q -> q.subject().startsWith("th "));

        ws.store().saveTaxonomy(List.of(), List.of(new TaxonomyRow("P1", "", 1), new TaxonomyRow("P2", "", 2))).join();
        HttpResponse<String> r = post("{\"subject\":\"th mail down\",\"team\":\"GRP_0\",\"priority\":\"P1\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        QueueRow row = ws.store().queue().stream().filter(q -> q.subject().equals("th mail down")).findFirst().orElseThrow();
        assertThat(row.team()).isEqualTo("GRP_0");
        assertThat(row.priority()).isEqualTo("P1");
        assertThat(row.status()).isEqualTo("RESOLVED");
        // the reply says what was stored
        assertThat(r.body()).isEqualTo("{\"created\":[" + row.id() + "],\"alreadyPresent\":0,\"decided\":[{\"id\":" + row.id()
                + ",\"status\":\"RESOLVED\",\"team\":\"GRP_0\",\"priority\":\"P1\"}]}");

        // a team name is a taxonomy entry: control and bidi characters (a name shown backwards) never enter it
        HttpResponse<String> odd = post("{\"subject\":\"th ctl\",\"team\":\"Evil\\u0000Team\\u001b[31m\\u202e \\n Ops\",\"priority\":\"P2\"}");
        assertThat(odd.statusCode()).as(odd.body()).isEqualTo(201);
        assertThat(ws.store().teams()).extracting(t -> t.name()).contains("EvilTeam[31m Ops")
                .allSatisfy(n -> assertThat(n.chars()).noneMatch(c -> c < 0x20 || Character.getType(c) == Character.FORMAT));
    }

    @Test
    void otherMethodsAndHealth() throws Exception {
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(server.url())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(server.url()))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(405);
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/api/health")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("ok");
    }

    @Test
    void boundToLoopbackOnlyWithAPrivateTokenFile() throws Exception {
        assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
        Path file = dir.resolve("secret/intake-token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(IntakeToken.loadOrCreate(file)).isEqualTo(token);
        assertThat(IntakeToken.generate()).isNotEqualTo(token);
        assertThatThrownBy(() -> new IntakeServer(ws.store(), "short")).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Writes a token into {@code name} with the permissions {@code perms} and asserts that loading it is refused
     * with {@code message} and the chmod that fixes it, without the token; returns the file.
     */
    private Path assertTokenFileRefused(String name, String perms, String message) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, "abcdefghijklmnopqrstuvwxyz0123456789\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(perms));
        assertThatThrownBy(() -> IntakeToken.loadOrCreate(file)).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining(message).hasMessageContaining("chmod 600 " + file)
                .hasMessageNotContaining("abcdefghijklmnop");
        return file;
    }

    @Test
    void aTokenFileOtherUsersCanReadIsRefusedUntilItIsPrivate() throws Exception {
        Path file = assertTokenFileRefused("shared-token", "rw-r--r--", "can be read by other users (rw-r--r--)");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(IntakeToken.loadOrCreate(file)).isEqualTo("abcdefghijklmnopqrstuvwxyz0123456789");
    }

    @Test
    void aTokenFileOtherUsersCanChangeIsRefusedToo() throws Exception {
        assertTokenFileRefused("group-writable-token", "rw--w----", "can be changed by other users (rw--w----)");
    }

    /** The window and `switchboard intake` starting at the same moment share one token; neither reads an empty file. */
    @Test
    void processesCreatingTheTokenAtOnceAllGetTheOneThatWasWritten() throws Exception {
        int threads = 8;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 200; round++) {
                Path file = dir.resolve("race-" + round + "/intake-token");
                var start = new java.util.concurrent.CyclicBarrier(threads);
                List<java.util.concurrent.Future<String>> tokens = new java.util.ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    tokens.add(pool.submit(() -> {
                        start.await();
                        return IntakeToken.loadOrCreate(file);
                    }));
                }
                java.util.Set<String> seen = new java.util.HashSet<>();
                for (var f : tokens) seen.add(f.get());
                assertThat(seen).as("round " + round).singleElement().isEqualTo(Files.readString(file).strip());
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
