package dev.switchboard.inference.local;

import dev.switchboard.inference.LabelledTicket;
import dev.switchboard.inference.Taxonomy;
import dev.switchboard.inference.TriageEngine;
import dev.switchboard.inference.TriageEngineContract;
import dev.switchboard.inference.embed.MiniLmEmbedder;
import java.util.List;

/** The engine contract against the local model with the real MiniLM embedder (trained once). */
class LocalModelContractTest implements TriageEngineContract {

    private static LocalModel shared;

    @Override
    public TriageEngine engine(List<LabelledTicket> history, Taxonomy taxonomy) {
        LocalModel m = new LocalModel(new MiniLmEmbedder(MiniLmEmbedder.Variant.QUANTIZED, 500), VectorCache.inMemory(), LocalModelConfig.defaults());
        m.train(history, null);
        return m;
    }

    @Override
    public TriageEngine contractEngine() throws Exception {
        synchronized (LocalModelContractTest.class) {
            if (shared == null) shared = (LocalModel) TriageEngineContract.super.contractEngine();
            return shared;
        }
    }
}
