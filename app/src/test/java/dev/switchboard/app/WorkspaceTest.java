package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.persistence.db.Database;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Where the saved local model lives for each kind of database. */
class WorkspaceTest {

    @Test
    void theSavedModelLivesBesideAnH2FileAndInTheDataDirectoryForAServer() {
        assertThat(Workspace.localModelFile("jdbc:h2:file:/data/sb/switchboard"))
                .isEqualTo(Path.of("/data/sb/switchboard.local-model"));
        assertThat(Workspace.localModelFile("jdbc:h2:file:~/sb/db"))
                .isEqualTo(Path.of(System.getProperty("user.home"), "sb", "db.local-model"));
        assertThat(Workspace.localModelFile("jdbc:h2:mem:x")).isNull();
        Path a = Workspace.localModelFile("jdbc:postgresql://db.example/switchboard");
        assertThat(a.getParent()).isEqualTo(Database.defaultDataDir());
        assertThat(a.getFileName().toString()).startsWith("server-").endsWith(".local-model");
        assertThat(Workspace.localModelFile("jdbc:postgresql://other.example/switchboard")).isNotEqualTo(a);
    }
}
