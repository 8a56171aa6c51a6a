package dev.switchboard.inference.embed;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;

/**
 * all-MiniLM-L6-v2 run in-process through ONNX Runtime (bundled with langchain4j; nothing is
 * downloaded). The model loads lazily on first use (1-2 s), so constructing this is free.
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
    private volatile EmbeddingModel model;

    public MiniLmEmbedder() {
        this(DEFAULT_MAX_CHARS);
    }

    public MiniLmEmbedder(int maxChars) {
        this(Variant.FP32, maxChars);
    }

    public MiniLmEmbedder(Variant variant, int maxChars) {
        this.variant = variant;
        this.maxChars = maxChars;
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
                    model = variant == Variant.QUANTIZED ? new AllMiniLmL6V2QuantizedEmbeddingModel()
                            : new AllMiniLmL6V2EmbeddingModel();
                }
                m = model;
            }
        }
        return m;
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
