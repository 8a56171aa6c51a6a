package dev.switchboard.app.cli;

import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"switchboard " + dev.switchboard.app.AppVersion.current(),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }
}
