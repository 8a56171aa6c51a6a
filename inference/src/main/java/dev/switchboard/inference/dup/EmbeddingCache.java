package dev.switchboard.inference.dup;

import dev.switchboard.inference.Progress;
import dev.switchboard.inference.embed.Embedder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Embeds texts with an optional on-disk cache (text SHA-256 to vector, per model id), so repeated
 * evaluations do not re-embed. A cache written by another model is ignored.
 */
public final class EmbeddingCache {

    private EmbeddingCache() {}

    public static List<float[]> embedAll(Embedder embedder, List<String> texts, Path cacheFile, Progress progress)
            throws IOException {
        Map<String, float[]> cache = cacheFile == null ? new HashMap<>() : load(cacheFile, embedder);
        List<float[]> out = new ArrayList<>(texts.size());
        int fresh = 0;
        final int batch = 32;
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            float[] v = cache.get(hash(texts.get(i)));
            out.add(v);
            if (v == null) pending.add(i);
        }
        for (int b = 0; b < pending.size(); b += batch) {
            progress.checkCancelled();
            List<Integer> chunk = pending.subList(b, Math.min(pending.size(), b + batch));
            List<String> batchTexts = new ArrayList<>();
            for (int i : chunk) batchTexts.add(texts.get(i));
            List<float[]> vs = embedder.embedAll(batchTexts);
            for (int k = 0; k < chunk.size(); k++) {
                out.set(chunk.get(k), vs.get(k));
                cache.put(hash(batchTexts.get(k)), vs.get(k));
            }
            fresh += chunk.size();
            progress.update(texts.size() - pending.size() + fresh, texts.size(), "embedding");
        }
        if (cacheFile != null && fresh > 0) save(cacheFile, embedder, cache);
        return out;
    }

    private static Map<String, float[]> load(Path file, Embedder embedder) throws IOException {
        Map<String, float[]> m = new HashMap<>();
        if (!Files.isRegularFile(file)) return m;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (!in.readUTF().equals(embedder.modelId())) return m;
            int dim = in.readInt();
            while (true) {
                String key;
                try {
                    key = in.readUTF();
                } catch (EOFException e) {
                    break;
                }
                float[] v = new float[dim];
                for (int i = 0; i < dim; i++) v[i] = in.readFloat();
                m.put(key, v);
            }
        } catch (IOException e) {
            return new HashMap<>();
        }
        return m;
    }

    private static void save(Path file, Embedder embedder, Map<String, float[]> cache) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.writeUTF(embedder.modelId());
            out.writeInt(embedder.dimension());
            for (Map.Entry<String, float[]> e : cache.entrySet()) {
                out.writeUTF(e.getKey());
                for (float f : e.getValue()) out.writeFloat(f);
            }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static String hash(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
