package dev.switchboard.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.logging.LogManager;

/** Quiets library logging (Hibernate, Flyway, ONNX) to warnings unless SWITCHBOARD_DEBUG is set. */
final class Logging {
    private Logging() {}

    static void configure() {
        if (System.getenv("SWITCHBOARD_DEBUG") != null) return;
        try (InputStream in = Logging.class.getResourceAsStream("/dev/switchboard/app/logging.properties")) {
            if (in != null) LogManager.getLogManager().readConfiguration(in);
        } catch (IOException e) {
            // keep JDK defaults
        }
    }
}
