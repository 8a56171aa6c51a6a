package dev.switchboard.app.settings;

import dev.switchboard.app.Services;
import dev.switchboard.app.intake.IntakeServer;
import dev.switchboard.app.intake.IntakeToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The local HTTP intake of one {@link Services}: started and stopped from Settings, remembered there
 * ({@code intake.enabled}, {@code intake.port}) so the next start-up restores it. Off by default.
 * Bound to 127.0.0.1 only; the bearer token lives in {@code <data dir>/intake-token} (mode 0600).
 * Thread-safe; start and stop do blocking I/O, so call them off the FX thread.
 */
public final class IntakeControl implements AutoCloseable {

    public static final int DEFAULT_PORT = 8765;
    static final String ENABLED = "intake.enabled";
    static final String PORT = "intake.port";

    private static final Map<Services, IntakeControl> BY_SERVICES = new WeakHashMap<>();
    private static final System.Logger LOG = System.getLogger("switchboard.intake");

    private final Services services;
    private IntakeServer server;
    private String token;

    private IntakeControl(Services services) {
        this.services = services;
    }

    public static synchronized IntakeControl of(Services services) {
        return BY_SERVICES.computeIfAbsent(services, IntakeControl::new);
    }

    /** Start-up: starts the intake if it was on when the app last ran. Never throws; problems are logged. */
    public static void restoreFromSettings(Services services) {
        IntakeControl c = of(services);
        if (!services.settings().getBoolean(ENABLED, false)) return;
        try {
            c.startServer(c.configuredPort());
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "intake not started on port " + c.configuredPort() + ": " + e.getMessage());
        }
    }

    /** Shutdown: stops the intake (if running) without changing the remembered setting. */
    public static void shutdown(Services services) {
        IntakeControl c;
        synchronized (IntakeControl.class) {
            c = BY_SERVICES.remove(services);
        }
        if (c != null) c.close();
    }

    public int configuredPort() {
        return services.settings().getInt(PORT, DEFAULT_PORT);
    }

    public Path tokenFile() {
        return IntakeToken.defaultFile(services.settings().dataDir());
    }

    /** Starts on 127.0.0.1:{@code port} (0 = any free port) and remembers it as on. */
    public synchronized void start(int port) throws IOException {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0–65535");
        startServer(port);
        services.settings().set(ENABLED, "true");
        services.settings().set(PORT, Integer.toString(port));
        services.settings().save();
    }

    private synchronized void startServer(int port) throws IOException {
        if (server != null) return;
        token = IntakeToken.loadOrCreate(tokenFile());
        IntakeServer s = new IntakeServer(services.workspace().store(), token);
        s.start(port);
        server = s;
    }

    /** Stops and remembers it as off. */
    public synchronized void stop() throws IOException {
        close();
        services.settings().set(ENABLED, "false");
        services.settings().save();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    public synchronized boolean isRunning() {
        return server != null && server.isRunning();
    }

    /** The tickets URL, e.g. {@code http://127.0.0.1:8765/api/tickets}; null when stopped. */
    public synchronized String url() {
        return isRunning() ? server.url() : null;
    }

    public synchronized int port() {
        return isRunning() ? server.port() : -1;
    }

    /** The token, for the clipboard only; null when never started. */
    synchronized String token() {
        if (token == null) {
            try {
                token = IntakeToken.loadOrCreate(tokenFile());
            } catch (IOException e) {
                return null;
            }
        }
        return token;
    }

    /** "••••••••abcd": what the dialog shows of the token. */
    public static String mask(String token) {
        if (token == null || token.length() < 8) return "••••••••";
        return "••••••••" + token.substring(token.length() - 4);
    }
}
