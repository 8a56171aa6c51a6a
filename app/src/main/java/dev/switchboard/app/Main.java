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
            SwitchboardApp.launchWindow(args);
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
