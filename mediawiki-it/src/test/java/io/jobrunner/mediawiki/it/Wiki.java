package io.jobrunner.mediawiki.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One wiki of Debian's MediaWiki 1.39 (SQLite, CLI only) in a scratch directory, its job queue on the test's Redis:
 * installed and given jobs by the project's copy of the harness ({@code setup-wiki.sh}), and read back through
 * MediaWiki's own maintenance scripts and its database.
 */
final class Wiki {

    final String dbName;
    final Path dir;
    final int redisPort;

    private Wiki(String dbName, Path dir, int redisPort) {
        this.dbName = dbName;
        this.dir = dir;
        this.redisPort = redisPort;
    }

    /** Installs the wiki (no jobs yet) under {@code scratch/<dbName>}. */
    static Wiki install(Path scratch, String dbName, int redisPort) throws Exception {
        Wiki wiki = new Wiki(dbName, scratch.resolve(dbName), redisPort);
        wiki.setup(0, true);
        return wiki;
    }

    /** Runs the harness again: {@code pages} pages use {{Harness}}, then the template is edited (jobs pile up). */
    void editTemplate(int pages) throws Exception {
        setup(pages, false);
    }

    private void setup(int pages, boolean skipJobs) throws Exception {
        Path script = dir.getParent().resolve("setup-wiki.sh");
        if (!Files.exists(script)) {
            try (InputStream in = Wiki.class.getResourceAsStream("/setup-wiki.sh")) {
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Map<String, String> env = new HashMap<>();
        env.put("DBNAME", dbName);
        env.put("EXTERNAL_REDIS", "1");
        env.put("PAGES", Integer.toString(Math.max(pages, 1)));
        if (skipJobs) {
            env.put("SKIP_JOBS", "1");
        }
        String out = run(env, null, 300, "bash", script.toString(), dir.toString(), Integer.toString(redisPort));
        if (!Files.isRegularFile(localSettings())) {
            throw new IllegalStateException("setup-wiki.sh did not install " + dbName + ":\n" + out);
        }
    }

    Path localSettings() {
        return dir.resolve("LocalSettings.php");
    }

    /** {@code showJobs.php --group}, trimmed ("" when no queue has jobs). */
    String showJobsGroup() throws Exception {
        return maintenance("showJobs.php", "--group").strip();
    }

    String showJobsTotal() throws Exception {
        return maintenance("showJobs.php").strip();
    }

    /** Runs PHP code in the wiki through {@code eval.php}. */
    String eval(String php) throws Exception {
        return run(Map.of("MW_CONFIG_FILE", localSettings().toString()), php, 60,
                "php", MediaWikiPrerequisites.MW_DIR.resolve("maintenance/eval.php").toString());
    }

    /** Pages in a category, from the wiki's SQLite database. */
    long categoryCount(String category) throws Exception {
        Path db = dir.resolve("data").resolve(dbName + ".sqlite");
        String out = run(Map.of(), null, 30, "php", "-r",
                "$p = new PDO('sqlite:' . $argv[1]); $s = $p->prepare('SELECT COUNT(*) FROM categorylinks WHERE cl_to = ?');"
                        + " $s->execute([$argv[2]]); echo $s->fetchColumn();", db.toString(), category);
        return Long.parseLong(out.strip());
    }

    private String maintenance(String script, String... args) throws Exception {
        String[] command = new String[args.length + 2];
        command[0] = "php";
        command[1] = MediaWikiPrerequisites.MW_DIR.resolve("maintenance").resolve(script).toString();
        System.arraycopy(args, 0, command, 2, args.length);
        return run(Map.of("MW_CONFIG_FILE", localSettings().toString()), null, 60, command);
    }

    static String run(Map<String, String> env, String stdin, int timeoutSeconds, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process p = builder.start();
        try {
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException(String.join(" ", command) + " did not end in " + timeoutSeconds + "s");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ":\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
        } finally {
            p.destroyForcibly();
        }
    }
}
