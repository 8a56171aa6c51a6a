package dev.switchboard.persistence;

import dev.switchboard.persistence.db.Database;
import java.nio.file.Path;

final class StoreTestSupport {
    private StoreTestSupport() {}

    static String url(Path dir) {
        return Database.h2FileUrl(dir.resolve("test"));
    }
}
