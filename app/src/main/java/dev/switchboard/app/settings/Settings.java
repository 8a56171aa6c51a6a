package dev.switchboard.app.settings;

import dev.switchboard.persistence.db.Database;
import dev.switchboard.persistence.db.PrivateFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * User preferences in {@code settings.properties} of one workspace (never secrets: API keys come
 * from the environment or the OS keyring): the data directory's for the real workspace, the demo's own
 * directory for {@code --demo} ({@link dev.switchboard.app.WindowLaunch}). Reads are cheap; {@link #save()}
 * writes atomically, a file only the user can read.
 */
public final class Settings {

    private final Path file;
    private final Properties props = new Properties();

    public Settings(Path file) {
        this.file = file;
        if (Files.isRegularFile(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(r);
            } catch (IOException e) {
                System.getLogger("switchboard.settings").log(System.Logger.Level.WARNING, "cannot read " + file + ": " + e.getMessage());
            }
        }
    }

    /** The real workspace's settings, in the default data directory (never the demo's: see {@link dev.switchboard.app.WindowLaunch}). */
    public static Settings load() {
        return new Settings(Database.defaultDataDir().resolve("settings.properties"));
    }

    public String get(String key, String def) {
        return props.getProperty(key, def);
    }

    public void set(String key, String value) {
        if (value == null) props.remove(key);
        else props.setProperty(key, value);
    }

    /** Integer setting; {@code def} when missing or not a number. */
    public int getInt(String key, int def) {
        try {
            return Integer.parseInt(get(key, Integer.toString(def)).strip());
        } catch (NumberFormatException e) {
            return def;
        }
    }

    /** Boolean setting ("true"/"false"); {@code def} when missing. */
    public boolean getBoolean(String key, boolean def) {
        String v = get(key, null);
        return v == null ? def : Boolean.parseBoolean(v.strip());
    }

    /** The folder of the settings file: the data directory (token file, logs) for this installation. */
    public Path dataDir() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }

    /** Who is deciding: the OS user unless changed in Settings. */
    public String dispatcher() {
        return get("dispatcher", System.getProperty("user.name", "dispatcher"));
    }

    /**
     * Writes the file anew, atomically, readable by the user only (0600, its folder 0700, where the file system
     * has POSIX permissions): it names the dispatcher, the LLM endpoint and prompt. A file an older version left
     * readable by others is replaced by a private one.
     */
    public synchronized void save() throws IOException {
        StringWriter w = new StringWriter();
        props.store(w, "Switchboard settings");
        PrivateFiles.writeString(file, w.toString());
    }
}
