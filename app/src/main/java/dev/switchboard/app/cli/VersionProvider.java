package dev.switchboard.app.cli;

import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = SwitchboardCli.class.getPackage().getImplementationVersion();
        return new String[] {"switchboard " + (v == null ? "dev" : v),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }
}
