package io.jobrunner.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobrunner.client.JobCodec;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.ProcessRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code runners}: the live runners (host, version, busy and total slots per group, the jobs they run) and
 * chrons (which one leads), from the registry of live processes; warns when no runner or no chron is alive.
 */
@Command(name = "runners", description = {"List the live runners and chrons: host, version, busy slots, current jobs, the chron leader.",
        "A process shows while it heartbeats (every 5 s; gone 15 s after it died)."})
public final class RunnersCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--json", description = "Print JSON for scripts: {runners:[...], chrons:[...]}.")
    boolean json;

    private final CliEnvironment env;

    RunnersCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        Logging.forTool(env);
        try (JobRunnerClient client = common.connect(env)) {
            List<ProcessRecord> runners = client.presence().runners();
            List<ProcessRecord> chrons = client.presence().chrons();
            if (json) {
                ObjectNode root = JobCodec.mapper().createObjectNode();
                root.set("runners", JobCodec.mapper().valueToTree(runners));
                root.set("chrons", JobCodec.mapper().valueToTree(chrons));
                env.out().println(root);
                return ExitCodes.OK;
            }
            print(env.out(), runners, chrons);
            return ExitCodes.OK;
        }
    }

    private static void print(PrintWriter out, List<ProcessRecord> runners, List<ProcessRecord> chrons) {
        String format = "%-32s %-20s %-14s %9s  %s%n";
        out.printf(format, "RUNNER", "HOST", "VERSION", "BUSY", "GROUPS");
        for (ProcessRecord r : runners) {
            StringBuilder groups = new StringBuilder();
            for (ProcessRecord.Group g : r.groups()) {
                groups.append(groups.length() == 0 ? "" : ", ").append(g.name()).append(' ').append(g.busy()).append('/').append(g.slots());
            }
            out.printf(format, r.id(), r.host(), r.version(), r.busy() + "/" + r.slots(), groups);
            for (ProcessRecord.Running j : r.current()) {
                out.println("    " + j.slot() + ": " + j.queue() + " " + j.id() + " (attempt " + j.attempt() + ", " + Ages.ago(j.elapsedMs()) + ")");
            }
        }
        if (runners.isEmpty()) {
            out.println("WARNING: no runner is alive: no job will run");
        }
        out.println();
        out.printf("%-32s %-20s %-14s %s%n", "CHRON", "HOST", "VERSION", "ROLE");
        for (ProcessRecord c : chrons) {
            out.printf("%-32s %-20s %-14s %s%n", c.id(), c.host(), c.version(), Boolean.TRUE.equals(c.leader()) ? "leader" : "standby");
        }
        if (chrons.stream().noneMatch(c -> Boolean.TRUE.equals(c.leader()))) {
            out.println("WARNING: no chron leads: delayed jobs are not promoted and claims of dead runners are not recycled");
        }
    }
}
