package io.jobrunner.git;

import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * Keeps JGit to the configuration the runner gives it: the user's ({@code ~/.gitconfig}, XDG), the system's
 * ({@code /etc/gitconfig}) and JGit's own config files are never read, since they may redirect URLs
 * ({@code url.<base>.insteadOf}), add credential helpers or proxies the URL policy never sees. In their place one
 * fixed, in-memory config with {@code http.followRedirects = false}: a server cannot send a transfer (and the
 * credentials offered for its host) to another host behind the policy's back.
 * <p>
 * JGit reads these through one process-wide {@link SystemReader}; {@link #install()} replaces it once for the
 * runner's process (the git executors are its only JGit users), keeping everything else (time, environment).
 */
final class IsolatedGitConfig extends SystemReader.Delegate {

    private static boolean installed;

    private IsolatedGitConfig(SystemReader delegate) {
        super(delegate);
    }

    /** Installs it as JGit's system reader (once per process). */
    static synchronized void install() {
        if (!installed) {
            SystemReader.setInstance(new IsolatedGitConfig(SystemReader.getInstance()));
            installed = true;
        }
    }

    @Override
    public FileBasedConfig openUserConfig(Config parent, FS fs) {
        // No parent: JGit keeps what it measures of file systems in its own config, which would otherwise show
        // through here; it caches those measurements in memory anyway.
        FixedConfig config = new FixedConfig(null, fs);
        config.setString("http", null, "followRedirects", "false");
        return config;
    }

    @Override
    public FileBasedConfig openSystemConfig(Config parent, FS fs) {
        // No parent either: its parent is JGit's own config, where JGit keeps its file-system measurements
        return new FixedConfig(null, fs);
    }

    @Override
    public FileBasedConfig openJGitConfig(Config parent, FS fs) {
        return new FixedConfig(parent, fs);
    }

    /** A config backed by no file: loading keeps what was set, saving writes nothing. */
    private static final class FixedConfig extends FileBasedConfig {

        FixedConfig(Config parent, FS fs) {
            super(parent, null, fs);
        }

        @Override
        public void load() {
            // nothing to read: the values set in code are the config
        }

        @Override
        public void save() {
            // nothing is written
        }

        @Override
        public boolean isOutdated() {
            return false;
        }

        @Override
        public String toString() {
            return "jobrunner's fixed git config";
        }
    }
}
