package dev.switchboard.inference.embed;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
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

    public static final int DEFAULT_MAX_CHARS = 1000;

    private final int maxChars;
    private volatile EmbeddingModel model;

    public MiniLmEmbedder() {
        this(DEFAULT_MAX_CHARS);
    }

    public MiniLmEmbedder(int maxChars) {
        this.maxChars = maxChars;
    }

    @Override
    public String modelId() {
        return "all-minilm-l6-v2/c" + maxChars;
    }

    @Override
    public int dimension() {
        return 384;
    }

    private EmbeddingModel model() {
        EmbeddingModel m = model;
        if (m == null) {
            synchronized (this) {
                if (model == null) model = new AllMiniLmL6V2EmbeddingModel();
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
