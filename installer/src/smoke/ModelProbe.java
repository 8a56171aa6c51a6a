import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

/**
 * Smoke-test probe, run by smoke.sh with the packaged runtime and the packaged class path (until the
 * app has a `self-check` command that does this itself): loads the bundled (quantized) MiniLM model through the
 * trimmed ONNX Runtime and DJL tokenizer jars and checks one embedding. Exit code 0 = fine.
 */
public final class ModelProbe {
    public static void main(String[] args) {
        long t0 = System.nanoTime();
        var model = new AllMiniLmL6V2QuantizedEmbeddingModel();
        long t1 = System.nanoTime();
        Embedding a = model.embed("Printer on the third floor is jammed again").content();
        Embedding b = model.embed("The 3rd floor printer keeps jamming").content();
        Embedding c = model.embed("Please reset my VPN password").content();
        double dup = cos(a.vector(), b.vector()), unrelated = cos(a.vector(), c.vector());
        System.out.printf("model: MiniLM loaded in %d ms, dim %d, cosine duplicate %.2f / unrelated %.2f (java.home %s)%n",
                (t1 - t0) / 1_000_000, a.dimension(), dup, unrelated, System.getProperty("java.home"));
        if (a.dimension() != 384 || !(dup > unrelated)) {
            System.err.println("model: unexpected embedding");
            System.exit(1);
        }
    }

    private static double cos(float[] x, float[] y) {
        double d = 0, nx = 0, ny = 0;
        for (int i = 0; i < x.length; i++) {
            d += x[i] * y[i];
            nx += x[i] * x[i];
            ny += y[i] * y[i];
        }
        return d / Math.sqrt(nx * ny);
    }
}
