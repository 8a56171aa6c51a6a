package dev.switchboard.inference.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.inference.ContractData;
import dev.switchboard.inference.Evidence;
import dev.switchboard.inference.LabelledTicket;
import dev.switchboard.inference.Prediction;
import dev.switchboard.inference.TicketText;
import dev.switchboard.inference.TriageContext;
import dev.switchboard.inference.TriageSuggestion;
import dev.switchboard.inference.embed.HashingEmbedder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fitted state saved after training and loaded into a fresh model gives the same suggestions, with
 * the memory rebuilt from the history; decisions since the save count as if learned online; a damaged or
 * foreign file is refused without touching the model.
 */
class ModelSnapshotTest {

    private static final TriageContext CTX = TriageContext.of(ContractData.TAXONOMY);
    private static final TriageContext NO_TAXONOMY = TriageContext.of(null);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** Enough tickets for a ranker (300 held-out rows), novelty floor and per-team thresholds. */
    private static final List<LabelledTicket> HISTORY = dated(ContractData.history(100, 3));
    private static final List<TicketText> PROBES = List.of(
            TicketText.of("p1", "vpn not working", "The vpn and the router not working. urgent"),
            TicketText.of("p2", "password reset", "locked out of my account after the mfa reset, help"),
            TicketText.of("p3", "printer and database", "The printer cannot use the sql backup, error again"),
            TicketText.of("p4", "Quarterly gala catering menu", "Please confirm the canapés and the marquee"),
            TicketText.of("p5", "monitor flickers", "the docking station and screen issue since this morning"),
            TicketText.of("p6", "", "replication deadlock on the oracle schema"));

    @TempDir Path dir;
    static LocalModel trained;

    private static LocalModel model() {
        return new LocalModel(new HashingEmbedder(), VectorCache.inMemory(), LocalModelConfig.defaults().withThreads(1));
    }

    private static List<LabelledTicket> dated(List<LabelledTicket> h) {
        List<LabelledTicket> out = new ArrayList<>();
        for (int i = 0; i < h.size(); i++) {
            LabelledTicket e = h.get(i);
            out.add(new LabelledTicket(e.text(), e.team(), e.priority(), T0.plusSeconds(i), e.weight()));
        }
        return out;
    }

    @BeforeAll
    static void train() {
        trained = model();
        trained.train(HISTORY, null);
    }

    @Test
    void aLoadedModelSuggestsExactlyWhatTheSavedOneDid() throws IOException {
        Path file = dir.resolve("m.local-model");
        LocalModel.TrainingSummary summary = new LocalModel.TrainingSummary(400, 4, 3, 0, 400, 1.5, 0.9, 0.8,
                Map.of("linear", 0.5));
        long bytes = ModelSnapshot.write(trained, file, summary, "test 1");
        assertThat(bytes).isEqualTo(Files.size(file)).isPositive();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("m.local-model"); // no temporary left
        }
        ModelSnapshot.write(trained, file, summary, "test 1"); // replaces it
        ModelSnapshot.Fitted saved = trained.fitted();
        assertThat(saved.team().ranker).as("the fixture exercises the ranker's trees").isNotNull();
        assertThat(saved.team().lrEmb).isNotNull();
        assertThat(saved.team().noveltySim).isNotNaN();
        assertThat(Arrays.stream(saved.team().thresholds).anyMatch(Double::isNaN)
                || Arrays.stream(saved.team().thresholds).noneMatch(Double::isNaN)).isTrue();

        LocalModel loaded = model();
        ModelSnapshot.Loaded r = ModelSnapshot.load(loaded, file, "test 1", HISTORY, Map.of());

        assertThat(r.kept()).isEqualTo(HISTORY.size());
        assertThat(r.added() + r.changed() + r.removed()).isZero();
        assertThat(r.retrainReason(ModelSnapshot.RETRAIN_SHARE)).isNull();
        assertThat(r.info().summary()).isEqualTo(summary);
        assertThat(r.info().writer()).isEqualTo("test 1");
        assertThat(loaded.size()).isEqualTo(trained.size());
        assertThat(loaded.teamThresholds()).isEqualTo(trained.teamThresholds());
        assertThat(loaded.globalTeamThreshold()).isEqualTo(trained.globalTeamThreshold());
        assertSameSuggestions(trained, loaded, 0.0);
    }

    /** The file holds the vocabulary of decided tickets: only the user may read it, or list its new folder. */
    @Test
    void theSavedModelIsPrivateAndSoIsTheFolderItCreates() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path file = dir.resolve("data/team/server-1.local-model");
        ModelSnapshot.write(trained, file, null, "");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data"))))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void decisionsSinceTheSaveAreIncludedAsLearningThemOnlineWould() throws IOException {
        LocalModel online = model();
        online.train(HISTORY, null);
        Path file = dir.resolve("m.local-model");
        ModelSnapshot.write(online, file, null, "");

        // after the save: one ticket re-decided, one new decision, one undone
        LabelledTicket redecided = HISTORY.get(5);
        String otherTeam = redecided.team().equals("Network") ? "Access" : "Network";
        LabelledTicket fresh = new LabelledTicket(TicketText.of("new-1", "quarterly flux capacitor alignment",
                "flux capacitor alignment report fails vpn"), "Database", "P1", T0.plusSeconds(10_000), 1.0);
        LabelledTicket again = new LabelledTicket(redecided.text(), otherTeam, "P2", T0.plusSeconds(10_001), 1.0);
        String undone = HISTORY.get(7).text().id();
        online.learn(fresh);
        online.learn(again);
        assertThat(online.forget(undone)).isTrue();

        List<LabelledTicket> now = new ArrayList<>();
        for (LabelledTicket e : HISTORY) {
            if (e.text().id().equals(undone)) continue;
            now.add(e.text().id().equals(redecided.text().id()) ? again : e);
        }
        now.add(fresh);
        // the history is read in id order, not decision order
        now.sort(java.util.Comparator.comparing(e -> e.text().id()));

        LocalModel loaded = model();
        ModelSnapshot.Loaded r = ModelSnapshot.load(loaded, file, "", now, Map.of());

        assertThat(r.kept()).isEqualTo(HISTORY.size() - 2);
        assertThat(r.added()).isEqualTo(1);
        assertThat(r.changed()).isEqualTo(1);
        assertThat(r.removed()).isEqualTo(1);
        assertThat(r.retrainReason(ModelSnapshot.RETRAIN_SHARE)).isNull();
        assertThat(loaded.size()).isEqualTo(online.size());
        TicketText probe = TicketText.of("q", "quarterly flux capacitor alignment", "flux capacitor alignment fails");
        assertThat(loaded.suggest(probe, CTX).evidence().get(0).ticketId()).isEqualTo("new-1");
        // the memory differs from the online one only in the order its sums were formed in
        assertSameSuggestions(online, loaded, 1e-9);
        assertSame(online.suggest(probe, CTX), loaded.suggest(probe, CTX), 1e-9);
    }

    @Test
    void aDecisionLearnedFromAnotherTextSinceTheSaveCountsAsChanged() throws IOException {
        LocalModel online = model();
        online.train(HISTORY, null);
        Path file = dir.resolve("m.local-model");
        ModelSnapshot.write(online, file, null, "");

        // decided again with the same labels, after a comment the saved text did not have
        LabelledTicket before = HISTORY.get(5);
        TicketText withComment = new TicketText(before.text().id(), before.text().subject(), before.text().body(),
                List.of("the zorblax centrifuge hums"));
        LabelledTicket again = new LabelledTicket(withComment, before.team(), before.priority(), T0.plusSeconds(10_000),
                before.weight());
        online.learn(again);
        List<LabelledTicket> now = new ArrayList<>(HISTORY);
        now.set(5, again);

        LocalModel loaded = model();
        ModelSnapshot.Loaded r = ModelSnapshot.load(loaded, file, "", now, Map.of());
        assertThat(r.changed()).isEqualTo(1);
        assertThat(r.kept()).isEqualTo(HISTORY.size() - 1);
        assertThat(r.added() + r.removed()).isZero();
        TicketText probe = TicketText.of("q", "zorblax centrifuge", "the zorblax centrifuge hums");
        assertThat(loaded.suggest(probe, CTX).evidence().get(0).ticketId()).isEqualTo(before.text().id());
        assertSameSuggestions(online, loaded, 1e-9);
        assertSame(online.suggest(probe, CTX), loaded.suggest(probe, CTX), 1e-9);

        // the text as saved: kept
        ModelSnapshot.write(online, file, null, "");
        ModelSnapshot.Loaded same = ModelSnapshot.load(model(), file, "", now, Map.of());
        assertThat(same.kept()).isEqualTo(HISTORY.size());
        assertThat(same.changed()).isZero();
    }

    @Test
    void aNewTeamOrMuchNewHistoryAsksForARetrainWhileTheLoadedModelServes() throws IOException {
        Path file = dir.resolve("m.local-model");
        ModelSnapshot.write(trained, file, null, "");
        List<LabelledTicket> now = new ArrayList<>(HISTORY);
        for (int i = 0; i < 5; i++) {
            now.add(new LabelledTicket(TicketText.of("f" + i, "office chair broken " + i, "the desk and chair in room " + i),
                    "Facilities", "P3", T0.plusSeconds(20_000 + i), 1.0));
        }
        LocalModel loaded = model();
        ModelSnapshot.Loaded r = ModelSnapshot.load(loaded, file, "", now, Map.of());
        assertThat(r.newTeams()).containsExactly("Facilities");
        assertThat(r.added()).isEqualTo(5);
        assertThat(r.retrainReason(ModelSnapshot.RETRAIN_SHARE)).isEqualTo("new team Facilities");
        TriageSuggestion s = loaded.suggest(TicketText.of("x", "office chair broken", "the desk and chair in room 4"),
                NO_TAXONOMY);
        assertThat(s.status()).isEqualTo(TriageSuggestion.Status.OK);
        assertThat(s.evidence().get(0).team()).isEqualTo("Facilities");

        // a fifth of the history new, with known labels only
        List<LabelledTicket> more = new ArrayList<>(HISTORY);
        List<LabelledTicket> extra = dated(ContractData.history(30, 11));
        more.addAll(extra);
        ModelSnapshot.Loaded r2 = ModelSnapshot.load(model(), file, "", more, Map.of());
        assertThat(r2.added()).isEqualTo(120);
        assertThat(r2.changedShare()).isCloseTo(120 / 520.0, within(1e-12));
        assertThat(r2.retrainReason(ModelSnapshot.RETRAIN_SHARE)).startsWith("23 % of the decided tickets are new");
    }

    @Test
    void aDamagedOrForeignFileIsRefusedAndTheModelStaysAsItWas() throws IOException {
        Path good = dir.resolve("good.local-model");
        ModelSnapshot.write(trained, good, null, "v1");
        byte[] bytes = Files.readAllBytes(good);

        LocalModel target = model();
        List<LabelledTicket> small = ContractData.history(3, 99);
        target.train(small, null);
        List<TriageSuggestion> before = PROBES.stream().map(p -> target.suggest(p, CTX)).toList();

        Path truncated = write("truncated", Arrays.copyOf(bytes, bytes.length / 2));
        Path tiny = write("tiny", Arrays.copyOf(bytes, 10));
        Path empty = write("empty", new byte[0]);
        byte[] flipped = bytes.clone();
        flipped[bytes.length / 3] ^= 0x10;
        Path corrupt = write("corrupt", flipped);
        byte[] future = bytes.clone();
        ByteBuffer.wrap(future).putInt(8, ModelSnapshot.FORMAT + 1);
        Path otherFormat = write("format", future);
        Path notOurs = write("other", "just some text, not a model at all".getBytes());
        // cut inside the body, with a checksum that matches the cut bytes: the parser still refuses it
        byte[] cut = Arrays.copyOf(bytes, bytes.length * 2 / 3 + 8);
        CRC32 crc = new CRC32();
        crc.update(cut, 0, cut.length - 8);
        ByteBuffer.wrap(cut).putLong(cut.length - 8, crc.getValue());
        Path cutWithChecksum = write("cut", cut);

        assertRefused(target, truncated, "v1", "checksum");
        assertRefused(target, tiny, "v1", "truncated");
        assertRefused(target, empty, "v1", "truncated");
        assertRefused(target, corrupt, "v1", "checksum");
        assertRefused(target, otherFormat, "v1", "format " + (ModelSnapshot.FORMAT + 1));
        assertRefused(target, notOurs, "v1", "not a saved local model");
        assertRefused(target, cutWithChecksum, "v1", "corrupt model file");
        assertRefused(target, good, "v2", "saved by version 'v1'");
        assertThatThrownBy(() -> ModelSnapshot.load(target, dir.resolve("missing"), "v1", HISTORY, Map.of()))
                .isInstanceOf(NoSuchFileException.class);
        // another embedding model, other settings
        LocalModel otherEmbedding = new LocalModel(new HashingEmbedder(128), VectorCache.inMemory(),
                LocalModelConfig.defaults().withThreads(1));
        assertRefused(otherEmbedding, good, "v1", "embedding model");
        LocalModel otherSettings = new LocalModel(new HashingEmbedder(), VectorCache.inMemory(),
                LocalModelConfig.defaults().withThreads(1).withRankerTrees(50));
        assertRefused(otherSettings, good, "v1", "other model settings");
        assertThat(otherEmbedding.size()).isZero();
        assertThat(otherSettings.size()).isZero();

        assertThat(target.size()).isEqualTo(small.size());
        for (int i = 0; i < PROBES.size(); i++) assertSame(before.get(i), target.suggest(PROBES.get(i), CTX), 0.0);
        // the thread count is not part of compatibility
        LocalModel twoThreads = new LocalModel(new HashingEmbedder(), VectorCache.inMemory(),
                LocalModelConfig.defaults().withThreads(2));
        assertThat(ModelSnapshot.load(twoThreads, good, "v1", HISTORY, Map.of()).kept()).isEqualTo(HISTORY.size());
        assertThat(ModelSnapshot.info(good).writer()).isEqualTo("v1");
    }

    @Test
    void storedVectorsAreUsedAndMissingOnesComputed() throws IOException {
        Path file = dir.resolve("m.local-model");
        ModelSnapshot.write(trained, file, null, "");
        HashingEmbedder e = new HashingEmbedder();
        Map<String, float[]> stored = new java.util.HashMap<>();
        for (LabelledTicket t : HISTORY.subList(0, 300)) stored.put(t.text().id(), e.embed(t.text().fullText()));
        LocalModel loaded = new LocalModel(e, VectorCache.NONE, LocalModelConfig.defaults().withThreads(1));
        ModelSnapshot.Loaded r = ModelSnapshot.load(loaded, file, "", HISTORY, stored);
        assertThat(r.vectorsComputed()).isEqualTo(100);
        assertSameSuggestions(trained, loaded, 0.0);
    }

    @Test
    void anyCharacterSurvivesTheStringEncoding() throws IOException {
        List<LabelledTicket> odd = new ArrayList<>();
        String[] teams = {"Réseau ☎", "Zugang \uD83D\uDD11", "Hard\u0000ware", "Daten\uD800bank"};
        for (int i = 0; i < 40; i++) {
            odd.add(LabelledTicket.of(TicketText.of("o" + i, "ticket \uDC00" + (i % 7) + " ß€ " + teams[i % 4],
                    "text " + (i % 5) + " \uD83D\uDE00 body"), teams[i % 4], "P" + (i % 2)));
        }
        LocalModel a = model();
        a.train(odd, null);
        Path file = dir.resolve("odd.local-model");
        ModelSnapshot.write(a, file, null, "");
        LocalModel b = model();
        ModelSnapshot.load(b, file, "", odd, Map.of());
        assertThat(b.fitted().team().labels).containsExactlyElementsOf(a.fitted().team().labels);
        TicketText probe = TicketText.of("x", "ticket \uDC003 ß€", "text 3 \uD83D\uDE00 body");
        assertSame(a.suggest(probe, NO_TAXONOMY), b.suggest(probe, NO_TAXONOMY), 0.0);
    }

    // ------------------------------------------------------------------ helpers

    private Path write(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    private static void assertRefused(LocalModel m, Path file, String writer, String why) {
        assertThatThrownBy(() -> ModelSnapshot.load(m, file, writer, HISTORY, Map.of()))
                .isInstanceOf(ModelSnapshot.UnusableException.class)
                .hasMessageContaining(why);
    }

    private static void assertSameSuggestions(LocalModel a, LocalModel b, double tolerance) {
        for (TicketText p : PROBES) {
            assertSame(a.suggest(p, CTX), b.suggest(p, CTX), tolerance);
            assertSame(a.suggest(p, NO_TAXONOMY), b.suggest(p, NO_TAXONOMY), tolerance);
            TriageContext transfer = new TriageContext(ContractData.TAXONOMY, List.of("Network"), java.util.Set.of("Network"));
            assertSame(a.suggest(p, transfer), b.suggest(p, transfer), tolerance);
            TriageSuggestion s = a.suggest(p, CTX);
            assertThat(b.priorityConfident(s)).isEqualTo(a.priorityConfident(s));
        }
    }

    private static void assertSame(TriageSuggestion a, TriageSuggestion b, double tolerance) {
        assertThat(b.status()).isEqualTo(a.status());
        assertSamePredictions(a.teams(), b.teams(), tolerance);
        assertSamePredictions(a.priorities(), b.priorities(), tolerance);
        assertThat(b.confident()).isEqualTo(a.confident());
        assertThat(b.rationale()).isEqualTo(a.rationale());
        assertThat(b.evidence()).hasSameSizeAs(a.evidence());
        for (int i = 0; i < a.evidence().size(); i++) {
            Evidence x = a.evidence().get(i), y = b.evidence().get(i);
            assertThat(y.ticketId()).isEqualTo(x.ticketId());
            assertThat(y.team()).isEqualTo(x.team());
            assertThat(y.priority()).isEqualTo(x.priority());
            assertThat(y.similarity()).isEqualTo(x.similarity());
            assertThat(y.subject()).isEqualTo(x.subject());
        }
    }

    private static void assertSamePredictions(List<Prediction> a, List<Prediction> b, double tolerance) {
        assertThat(b).hasSameSizeAs(a);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i).label()).isEqualTo(a.get(i).label());
            if (tolerance == 0) assertThat(b.get(i).probability()).isEqualTo(a.get(i).probability());
            else assertThat(b.get(i).probability()).isCloseTo(a.get(i).probability(), within(tolerance));
        }
    }
}
