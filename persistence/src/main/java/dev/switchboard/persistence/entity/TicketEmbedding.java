package dev.switchboard.persistence.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Objects;

/** A ticket's sentence embedding under one model, stored so restarts do not re-embed. */
@Entity
@Table(name = "ticket_embedding")
public class TicketEmbedding {

    @Embeddable
    public static class Key implements Serializable {
        @Column(name = "ticket_id")
        private long ticketId;
        @Column(name = "model_id", length = 100)
        private String modelId;

        protected Key() {}

        public Key(long ticketId, String modelId) {
            this.ticketId = ticketId;
            this.modelId = modelId;
        }

        public long getTicketId() { return ticketId; }
        public String getModelId() { return modelId; }

        @Override public boolean equals(Object o) {
            return o instanceof Key k && k.ticketId == ticketId && Objects.equals(k.modelId, modelId);
        }
        @Override public int hashCode() { return Objects.hash(ticketId, modelId); }
    }

    @EmbeddedId
    private Key key;
    @Column(nullable = false, length = 8192)
    private byte[] vector;
    /** Fingerprint of the text the vector was computed from, or null when not recorded. */
    @Column(name = "text_hash", length = 64)
    private String textHash;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected TicketEmbedding() {}

    public TicketEmbedding(long ticketId, String modelId, float[] vector, Instant createdAt) {
        this(ticketId, modelId, vector, null, createdAt);
    }

    public TicketEmbedding(long ticketId, String modelId, float[] vector, String textHash, Instant createdAt) {
        this.key = new Key(ticketId, modelId);
        this.vector = toBytes(vector);
        this.textHash = textHash;
        this.createdAt = createdAt;
    }

    public Key getKey() { return key; }
    public float[] getVector() { return toFloats(vector); }
    public String getTextHash() { return textHash; }

    public static byte[] toBytes(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.array();
    }

    public static float[] toFloats(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[bytes.length / 4];
        for (int i = 0; i < v.length; i++) v[i] = b.getFloat();
        return v;
    }
}
