package dev.switchboard.persistence.db;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files only their owner may read: the data directory and what Switchboard keeps in it (settings, the
 * egress ledger, the intake token, the database). Where the file system has POSIX permissions, directories
 * are created 0700 and files 0600, and a file written anew replaces one that had wider permissions; elsewhere
 * (Windows, a FAT stick) files get the file system's defaults, without a word. Whole files are written to a
 * private temporary file beside them and moved over the old one, so a reader never sees half a file.
 */
public final class PrivateFiles {

    private static final System.Logger LOG = System.getLogger("switchboard.files");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {}

    /**
     * Creates {@code dir} and any missing parents, each readable only by the user (0700) where the file
     * system supports POSIX permissions; directories that already exist are left as they are.
     */
    public static void createDirectories(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (Files.isDirectory(abs)) return;
        Path existing = abs.getParent();
        while (existing != null && !Files.isDirectory(existing)) existing = existing.getParent();
        Files.createDirectories(abs, existing != null && posix(existing) ? ownerOnly(true) : new FileAttribute<?>[0]);
    }

    /**
     * Replaces {@code file} with {@code text} (UTF-8) atomically: written to a private temporary file in the same
     * folder, flushed to disk, then moved over the old file, whose permissions (0644 from an older version, say) go
     * with it. The folder is created private if missing.
     */
    public static void writeString(Path file, String text) throws IOException {
        Path tmp = writeTemporary(file, text);
        try {
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Creates {@code file} holding {@code text} (UTF-8), private, unless it exists: false then, and the file is left
     * alone. Another process doing the same at the same moment either sees the whole file or none, never an empty
     * one (the text is written beside it first, then linked in under its name).
     */
    public static boolean createString(Path file, String text) throws IOException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return false;
        Path tmp = writeTemporary(file, text);
        try {
            try {
                Files.createLink(file, tmp); // refused, atomically, when the name is taken
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (UnsupportedOperationException | IOException noHardLinks) {
                // a file system without hard links (FAT): a rename, which also refuses a name that is taken
                try {
                    Files.move(tmp, file);
                } catch (FileAlreadyExistsException e) {
                    return false;
                }
            }
            return true;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * A writer (UTF-8) appending to {@code file}: created private when missing (its folder too); an existing file
     * readable by others is made private first.
     */
    public static Writer appendWriter(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) createDirectories(dir);
        boolean existed = Files.exists(file, LinkOption.NOFOLLOW_LINKS);
        FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE), dir != null && posix(dir) ? ownerOnly(false) : new FileAttribute<?>[0]);
        if (existed) restrictToOwner(file, false);
        OutputStream out = Channels.newOutputStream(ch);
        return new java.io.BufferedWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8));
    }

    /**
     * Best effort: removes group and other permissions from {@code p} when it belongs to this user and
     * the file system has POSIX permissions. A shared directory (sticky, like /tmp) and the home directory
     * are never changed.
     */
    public static void restrictToOwner(Path p, boolean directory) {
        try {
            if (!Files.getFileStore(p).supportsFileAttributeView("posix")) return;
            if (!Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"))) return;
            if (directory) {
                if (p.equals(Path.of(System.getProperty("user.home")).toAbsolutePath().normalize())) return;
                Object mode = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                if (mode instanceof Integer m && (m & 01000) != 0) return; // sticky: shared by its nature
            }
            Set<PosixFilePermission> want = directory ? OWNER_DIR : OWNER_FILE;
            Set<PosixFilePermission> has = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
            if (!has.equals(want)) Files.setPosixFilePermissions(p, want);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "could not make " + p + " private to this user: " + e.getMessage());
        }
    }

    /** A new private file beside {@code file} holding {@code text}, on disk; its folder is created private if missing. */
    private static Path writeTemporary(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        createDirectories(dir);
        // createTempFile makes the file 0600 where the file system has POSIX permissions
        Path tmp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = StandardCharsets.UTF_8.encode(text);
            while (b.hasRemaining()) ch.write(b);
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return tmp;
    }

    private static boolean posix(Path existingDir) {
        try {
            return Files.getFileStore(existingDir).supportsFileAttributeView("posix");
        } catch (IOException e) {
            return false;
        }
    }

    private static FileAttribute<?>[] ownerOnly(boolean directory) {
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(directory ? OWNER_DIR : OWNER_FILE)};
    }
}
