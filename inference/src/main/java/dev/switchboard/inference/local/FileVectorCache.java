package dev.switchboard.inference.local;

import dev.switchboard.inference.TicketText;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A vector cache kept in one file (for command-line runs that repeat over the same data; the app
 * keeps vectors in its database instead). Keyed by model id and the ticket's full text.
 */
public final class FileVectorCache implements VectorCache {

    private final Path file;
    private final Map<String, float[]> map = new ConcurrentHashMap<>();

    public FileVectorCache(Path file) {
        this.file = file;
        if (Files.isRegularFile(file)) {
            try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
                int n = in.readInt();
                for (int i = 0; i < n; i++) {
                    String key = in.readUTF();
                    float[] v = new float[in.readInt()];
                    for (int d = 0; d < v.length; d++) v[d] = in.readFloat();
                    map.put(key, v);
                }
            } catch (IOException e) {
                map.clear();
            }
        }
    }

    private static String key(TicketText t, String modelId) {
        String s = t.fullText();
        return modelId + '\u0000' + s.length() + ':' + Integer.toHexString(s.hashCode()) + ':'
                + (s.length() > 200 ? s.substring(0, 200) : s);
    }

    @Override public float[] get(TicketText t, String modelId) {
        return map.get(key(t, modelId));
    }

    @Override public void put(TicketText t, String modelId, float[] v) {
        map.put(key(t, modelId), v);
    }

    public void save() {
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(map.size());
            for (var e : map.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().length);
                for (float f : e.getValue()) out.writeFloat(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
