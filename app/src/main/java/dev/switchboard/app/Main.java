package dev.switchboard.app;

import dev.switchboard.app.cli.SwitchboardCli;

/**
 * Entry point. No arguments (or only window options such as {@code --demo} / {@code --db}) opens the
 * window; anything else is the command line.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Logging.configure();
        if (isWindowLaunch(args)) {
            try {
                SwitchboardApp.launchWindow(args);
            } catch (RuntimeException | LinkageError e) {
                System.err.println("switchboard: cannot open the window: " + e.getMessage());
                System.err.println("  Is a display available (DISPLAY/WAYLAND_DISPLAY) and GTK 3 installed (libgtk-3-0, libgl1)?");
                System.err.println("  The command line works without a display: ./switchboard --help");
                System.exit(1);
            }
            return;
        }
        System.exit(SwitchboardCli.execute(args));
    }

    static boolean isWindowLaunch(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--demo")) continue;
            if (a.equals("--db") && i + 1 < args.length) {
                i++;
                continue;
            }
            if (a.startsWith("--db=")) continue;
            return false;
        }
        return true;
    }
}
