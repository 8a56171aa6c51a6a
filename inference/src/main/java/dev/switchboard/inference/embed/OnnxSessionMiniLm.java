package dev.switchboard.inference.embed;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.Executor;

/**
 * The bundled quantized MiniLM with an ONNX Runtime session whose intra-op thread pool has a set size.
 * With the library default (one thread per core) every embedding of a short ticket waits for all
 * cores, which stalls whenever another process holds one; callers parallelise across tickets instead.
 */
final class OnnxSessionMiniLm extends AbstractInProcessEmbeddingModel {

    private final OnnxBertBiEncoder encoder;

    OnnxSessionMiniLm(int intraOpThreads, Executor executor) {
        super(executor);
        try (InputStream model = resource("all-minilm-l6-v2-q.onnx");
             InputStream tokenizer = resource("all-minilm-l6-v2-q-tokenizer.json")) {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            OrtSession session = env.createSession(model.readAllBytes(), options);
            encoder = new OnnxBertBiEncoder(env, session, tokenizer, PoolingMode.MEAN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot start ONNX Runtime for MiniLM", e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = AllMiniLmL6V2QuantizedEmbeddingModel.class.getResourceAsStream("/" + name);
        if (in == null) throw new IllegalStateException("bundled model file missing: " + name);
        return in;
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return encoder;
    }

    @Override
    protected Integer knownDimension() {
        return 384;
    }
}
