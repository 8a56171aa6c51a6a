package dev.switchboard.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Root of the command line. Every subcommand is also reachable as {@code ./switchboard NAME --help}. */
@Command(name = "switchboard", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Desktop triage workbench for support dispatchers. Without a command, opens the window.",
        subcommands = {StatusCommand.class, SelfCheckCommand.class, ImportCommand.class, IntakeCommand.class, DemoDataCommand.class,
                ExportCommand.class, ExportDuplicatesCommand.class, QualityCommand.class, EvaluateCommand.class, EvaluateDuplicatesCommand.class,
                BenchImportCommand.class, BenchExportCommand.class, BenchDuplicatesCommand.class, BenchWindowCommand.class, BenchQueueCommand.class,
                BenchStartCommand.class, BenchQualityCommand.class, BenchWritesCommand.class,
                CommandLine.HelpCommand.class})
public final class SwitchboardCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the command line and returns the exit code (errors are one-line messages, never stack traces). */
    public static int execute(String... args) {
        return execute(null, null, args);
    }

    /** As {@link #execute(String...)} with the given output and error writers (null = System.out / System.err). */
    public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new SwitchboardCli());
        if (out != null) cl.setOut(out);
        if (err != null) cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("switchboard: " + CliSupport.message(ex));
            if (System.getenv("SWITCHBOARD_DEBUG") != null) ex.printStackTrace(commandLine.getErr());
            return 1;
        });
        return cl.execute(args);
    }
}
