package dev.switchboard.app;

/**
 * The version of this build: the app jar's {@code Implementation-Version} (set by the build from the
 * project version), or {@code "dev"} when running from classes (tests, the IDE). What {@code --version}
 * prints and what an export's manifest records.
 */
public final class AppVersion {
    private AppVersion() {}

    public static String current() {
        String v = AppVersion.class.getPackage().getImplementationVersion();
        return v == null || v.isBlank() ? "dev" : v;
    }
}
