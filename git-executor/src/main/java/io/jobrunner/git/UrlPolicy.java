package io.jobrunner.git;

import org.eclipse.jgit.transport.SshSessionFactory;
import org.eclipse.jgit.transport.URIish;

import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether a job may use a repository URL.
 * <ol>
 *   <li>parses it (URLs and scp-like {@code user@host:path}); a URL that is not one is a permanent failure;</li>
 *   <li>rejects a password in the URL: credentials come from config, never from job params;</li>
 *   <li>allows only the configured schemes ({@code file}, a path on this machine, only when listed) and,
 *       when {@code allowed-hosts} is not empty, only those hosts;</li>
 *   <li>rejects {@code ssh} when no SSH transport is on the classpath, saying so.</li>
 * </ol>
 */
final class UrlPolicy {

    /** A URL that passed the policy. {@code text} has no credentials in it. */
    record RemoteUrl(String text, URIish uri, String scheme, String host) {
        @Override
        public String toString() {
            return text;
        }
    }

    private final Set<String> allowedSchemes;
    private final Set<String> allowedHosts;
    private final String schemesText;

    UrlPolicy(GitSettings settings) {
        this.allowedSchemes = settings.allowedSchemes();
        this.allowedHosts = settings.allowedHosts();
        this.schemesText = String.join(", ", settings.sortedSchemes());
    }

    RemoteUrl check(String url) throws GitJobException {
        if (url == null || url.isBlank()) {
            throw GitJobException.permanent("the repository URL is empty");
        }
        if (url.length() > 2048 || url.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw GitJobException.permanent("the repository URL '" + Redactor.stripUserInfo(shorten(url)) + "' is not valid: too long or has control characters");
        }
        URIish uri;
        try {
            uri = new URIish(url);
        } catch (URISyntaxException e) {
            throw GitJobException.permanent("the repository URL '" + Redactor.stripUserInfo(url) + "' is not valid: " + e.getReason());
        }
        if (uri.getPass() != null) {
            throw GitJobException.permanent("the repository URL '" + Redactor.stripUserInfo(url)
                    + "' has a password in it; credentials come from the executor's config (credentials { host { ... } }), never from job params");
        }
        if (uri.getScheme() == null && uri.getHost() == null && (uri.getPath() == null || !uri.getPath().startsWith("/"))) {
            throw GitJobException.permanent("the repository URL '" + uri + "' is not valid: give scheme://host/path, user@host:path or file:///path");
        }
        String scheme = scheme(uri);
        if (!allowedSchemes.contains(scheme)) {
            throw GitJobException.permanent("the repository URL '" + uri + "' uses scheme '" + scheme
                    + "', which this executor does not allow; allowed: " + schemesText + " (allowed-schemes)");
        }
        String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
        if (!scheme.equals("file")) {
            if (host == null || host.isEmpty()) {
                throw GitJobException.permanent("the repository URL '" + uri + "' has no host");
            }
            if (!allowedHosts.isEmpty() && !allowedHosts.contains(host)) {
                throw GitJobException.permanent("the repository URL '" + uri + "' names host '" + host
                        + "', which this executor does not allow; allowed: " + String.join(", ", allowedHosts.stream().sorted().toList()) + " (allowed-hosts)");
            }
        } else if (uri.getPath() == null || uri.getPath().isEmpty()) {
            throw GitJobException.permanent("the repository URL '" + uri + "' has no path");
        }
        if (scheme.equals("ssh") && SshSessionFactory.getInstance() == null) {
            throw GitJobException.permanent("the repository URL '" + uri + "' needs the SSH transport, which is not installed "
                    + "(add org.eclipse.jgit.ssh.apache to the runner's classpath)");
        }
        return new RemoteUrl(Redactor.stripUserInfo(uri.toString()), uri, scheme, host);
    }

    /** {@code ssh} for scp-like URLs, {@code file} for plain paths, else the URL's scheme in lower case. */
    static String scheme(URIish uri) {
        if (uri.getScheme() != null) {
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            return scheme.equals("git+ssh") || scheme.equals("ssh+git") ? "ssh" : scheme;
        }
        return uri.getHost() != null ? "ssh" : "file";
    }

    private static String shorten(String url) {
        String cut = url.length() > 200 ? url.substring(0, 200) + "..." : url;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
