package dev.switchboard.persistence.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Collections;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared H2 file is served (AUTO_SERVER) to this machine only, and the workspace is private to the
 * user: the lock file holds the key that opens the database over TCP with the default user.
 */
class DatabaseExposureTest {

    @TempDir
    Path tmp;

    @Test
    void theAutoServerListensOnTheLoopbackAddressOnly() throws Exception {
        Path dir = tmp.resolve("ws");
        try (Database db = Database.open(Database.h2FileUrl(dir.resolve("switchboard")), "sa", "")) {
            Properties lock = new Properties();
            try (InputStream in = Files.newInputStream(dir.resolve("switchboard.lock.db"))) {
                lock.load(in);
            }
            String server = lock.getProperty("server");
            assertThat(server).as("AUTO_SERVER address in the lock file").isNotBlank();
            int colon = server.lastIndexOf(':');
            int port = Integer.parseInt(server.substring(colon + 1));
            String host = server.substring(0, colon).replace("[", "").replace("]", "");
            assertThat(InetAddress.getByName(host).isLoopbackAddress()).as("advertised host " + host).isTrue();

            // another process on this machine still reaches it (what AUTO_SERVER is for) ...
            String key = lock.getProperty("id");
            try (Connection c = DriverManager.getConnection("jdbc:h2:tcp://" + server + "/" + key, "sa", "");
                    Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select count(*) from ticket")) {
                assertThat(rs.next()).isTrue();
            }
            // ... but nothing reaches it through the machine's network addresses
            InetAddress lan = nonLoopbackAddress();
            if (lan != null) {
                assertThatThrownBy(() -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(lan, port), 5_000);
                    }
                }).as("connecting via " + lan.getHostAddress() + ":" + port).isInstanceOf(ConnectException.class);
            }
            // the setting H2 binds its servers with (what the check above shows on a machine without one)
            assertThat(org.h2.engine.SysProperties.BIND_ADDRESS).isNotBlank();
            assertThat(InetAddress.getByName(org.h2.engine.SysProperties.BIND_ADDRESS).isLoopbackAddress()).isTrue();
        }
    }

    @Test
    void aNewWorkspaceDirectoryAndItsDatabaseFilesArePrivate() throws Exception {
        assumeTrue(posix());
        Path dir = tmp.resolve("home").resolve("switchboard");
        try (Database db = Database.open(Database.h2FileUrl(dir.resolve("switchboard")), "sa", "")) {
            assertThat(mode(dir)).isEqualTo("rwx------");
            assertThat(mode(dir.getParent())).isEqualTo("rwx------");
            assertThat(mode(dir.resolve("switchboard.mv.db"))).isEqualTo("rw-------");
            assertThat(mode(dir.resolve("switchboard.lock.db"))).isEqualTo("rw-------");
        }
    }

    @Test
    void aDirectoryOfTheUsersChoosingKeepsItsModeWhileTheDatabaseFilesBecomePrivate() throws Exception {
        assumeTrue(posix());
        Path dir = Files.createDirectory(tmp.resolve("mine"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        String url = Database.h2FileUrl(dir.resolve("db"));
        try (Database db = Database.open(url, "sa", "")) {
            // as written by an older version
            Files.setPosixFilePermissions(dir.resolve("db.mv.db"), PosixFilePermissions.fromString("rw-r--r--"));
        }
        try (Database db = Database.open(url, "sa", "")) {
            assertThat(mode(dir)).isEqualTo("rwxr-xr-x");
            assertThat(mode(dir.resolve("db.mv.db"))).isEqualTo("rw-------");
            assertThat(mode(dir.resolve("db.lock.db"))).isEqualTo("rw-------");
        }
    }

    @Test
    void anExistingDataDirectoryIsMadePrivate() throws Exception {
        assumeTrue(posix());
        Path data = Files.createDirectory(tmp.resolve("data"));
        Path demo = Files.createDirectory(data.resolve("demo"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(demo, PosixFilePermissions.fromString("rwxr-xr-x"));
        String above = mode(tmp);
        Database.ensureParentDir(Database.h2FileUrl(demo.resolve("switchboard")) + ";AUTO_SERVER=TRUE", data);
        assertThat(mode(data)).isEqualTo("rwx------");
        assertThat(mode(demo)).isEqualTo("rwx------");
        assertThat(mode(tmp)).as("above the data directory: untouched").isEqualTo(above);
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    /** An address of this machine other than loopback (IPv4 preferred), or null when it has none. */
    private static InetAddress nonLoopbackAddress() throws SocketException {
        InetAddress v6 = null;
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp() || ni.isLoopback()) continue;
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()) continue;
                if (a instanceof Inet4Address) return a;
                if (v6 == null) v6 = a;
            }
        }
        return v6;
    }
}
