package io.jobrunner.mediawiki.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Whether this machine can run the acceptance suite: Debian's MediaWiki 1.39 with php, php-redis and pdo_sqlite
 * ({@code apt-get install -y mediawiki php-redis php8.2-sqlite3}), and the built jar. {@link #missing} says what
 * is not there, so the suite is skipped with a reason, never silently.
 */
final class MediaWikiPrerequisites {

    static final Path MW_DIR = Path.of("/usr/share/mediawiki");

    private MediaWikiPrerequisites() {
    }

    /** Null when everything is there, else what is missing and how to install it. */
    static String missing() {
        if ("false".equals(System.getProperty("mediawiki.it")) || "0".equals(System.getenv("JOBRUNNER_MEDIAWIKI_IT"))) {
            return "turned off by -Dmediawiki.it=false or JOBRUNNER_MEDIAWIKI_IT=0";
        }
        String install = " (apt-get install -y mediawiki php-redis php8.2-sqlite3)";
        if (!Files.isRegularFile(MW_DIR.resolve("maintenance/runJobs.php"))) {
            return MW_DIR + "/maintenance/runJobs.php not found: MediaWiki is not installed" + install;
        }
        String modules = run("php", "-m");
        if (modules == null) {
            return "php is not on PATH" + install;
        }
        if (!modules.lines().anyMatch(l -> l.trim().equalsIgnoreCase("redis"))) {
            return "the php redis module is missing" + install;
        }
        if (!modules.lines().anyMatch(l -> l.trim().equalsIgnoreCase("pdo_sqlite"))) {
            return "the php pdo_sqlite module is missing" + install;
        }
        if (!Files.isRegularFile(jar())) {
            return jar() + " not built (run ./mvnw verify from the top)";
        }
        return null;
    }

    static Path jar() {
        return Path.of(System.getProperty("jobrunner.jar", "../cli/target/jobrunner.jar")).toAbsolutePath().normalize();
    }

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? out : null;
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
