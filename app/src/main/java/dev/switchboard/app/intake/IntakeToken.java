package dev.switchboard.app.intake;

import dev.switchboard.persistence.db.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/** The intake's bearer token: generated once, kept in a file only its owner can read. */
public final class IntakeToken {

    public static final String FILE_NAME = "intake-token";
    private static final SecureRandom RANDOM = new SecureRandom();

    private IntakeToken() {}

    /** 32 random bytes, URL-safe Base64 without padding (43 characters). */
    public static String generate() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Default place: {@code <data dir>/intake-token}. */
    public static Path defaultFile(Path dataDir) {
        return dataDir.resolve(FILE_NAME);
    }

    /**
     * Reads the token from {@code file}, or creates the file (mode 0600 where the file system supports
     * POSIX permissions, its folder 0700) with a new token. The file appears whole or not at all, so another
     * process starting at the same moment reads the same token, and a crash never leaves an empty file. A file
     * that exists but is empty or too short is an error, not silently replaced.
     */
    public static String loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) return read(file);
        String token = generate();
        if (!PrivateFiles.createString(file, token + "\n")) return read(file); // another process created it first
        return token;
    }

    private static String read(Path file) throws IOException {
        // whoever can read the token can file tickets (and decided history) into the workspace: like ssh with a
        // private key, a token file other users may read is refused rather than used (this one is created 0600)
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                throw new IOException("the token file can be read by other users (" + PosixFilePermissions.toString(p)
                        + "), who could then post tickets; make it private: chmod 600 " + file);
            }
            // nor one they may write: they could put a token of their own in it, valid from the next start
            if (p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new IOException("the token file can be changed by other users (" + PosixFilePermissions.toString(p)
                        + "), who could then put in a token of their own; make it private: chmod 600 " + file);
            }
        }
        String t = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (t.length() < 16) throw new IOException("the token file is empty or shorter than 16 characters");
        return t;
    }
}
