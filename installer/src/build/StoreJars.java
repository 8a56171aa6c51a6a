import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites every jar in a directory with its entries STORED (uncompressed), same entries, same order.
 *
 * Used for the .deb (profile deb): dpkg-deb compresses the whole package with xz, which shrinks class
 * files and native libraries far better than each jar's own deflate, but cannot compress data that is
 * already deflated. Measured on this app: the class-path jars deflated are 60 MB, xz of the same
 * content stored is 29 MB. The price is a larger installed size (and slightly faster class loading).
 *
 * Run with the build's JDK in source-file mode:  java StoreJars.java DIR
 */
public final class StoreJars {
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java StoreJars.java DIR");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        List<Path> jars = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().forEach(jars::add);
        }
        long before = 0, after = 0;
        for (Path jar : jars) {
            before += Files.size(jar);
            Path tmp = jar.resolveSibling(jar.getFileName() + ".stored");
            store(jar, tmp);
            Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
            after += Files.size(jar);
        }
        System.out.printf("StoreJars: %d jars in %s stored uncompressed, %,d -> %,d bytes%n", jars.size(), dir, before, after);
    }

    private static void store(Path in, Path out) throws IOException {
        try (InputStream fin = Files.newInputStream(in);
             ZipInputStream zin = new ZipInputStream(fin);
             OutputStream fout = Files.newOutputStream(out);
             ZipOutputStream zout = new ZipOutputStream(fout)) {
            zout.setMethod(ZipOutputStream.STORED);
            ZipEntry e;
            while ((e = zin.getNextEntry()) != null) {
                byte[] data = zin.readAllBytes();
                ZipEntry o = new ZipEntry(e.getName());
                o.setMethod(ZipEntry.STORED);
                o.setSize(data.length);
                o.setCompressedSize(data.length);
                CRC32 crc = new CRC32();
                crc.update(data);
                o.setCrc(crc.getValue());
                if (e.getTime() != -1) o.setTime(e.getTime());
                if (e.getExtra() != null) o.setExtra(e.getExtra());
                zout.putNextEntry(o);
                zout.write(data);
                zout.closeEntry();
            }
        }
    }
}
