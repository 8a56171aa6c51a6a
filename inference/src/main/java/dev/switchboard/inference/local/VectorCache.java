package dev.switchboard.inference.local;

import dev.switchboard.inference.TicketText;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the local model looks up and stores sentence embeddings, so the app can keep them in its
 * database and a restart does not re-embed history. Implementations must be thread-safe.
 */
public interface VectorCache {

    /** The stored vector for this ticket's current text under {@code modelId}, or null. */
    float[] get(TicketText ticket, String modelId);

    /** Called with every vector the model computes. */
    void put(TicketText ticket, String modelId, float[] vector);

    /** Keeps vectors in memory, keyed by model id and the ticket's full text. */
    static VectorCache inMemory() {
        Map<String, float[]> map = new ConcurrentHashMap<>();
        return new VectorCache() {
            @Override public float[] get(TicketText t, String modelId) {
                return map.get(modelId + '\u0000' + t.fullText());
            }

            @Override public void put(TicketText t, String modelId, float[] v) {
                map.put(modelId + '\u0000' + t.fullText(), v);
            }
        };
    }

    /** Never stores anything. */
    VectorCache NONE = new VectorCache() {
        @Override public float[] get(TicketText t, String modelId) {
            return null;
        }

        @Override public void put(TicketText t, String modelId, float[] v) { }
    };
}
