package io.jobrunner.git;

import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.api.errors.RefNotFoundException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.errors.NotSupportedException;
import org.eclipse.jgit.errors.PackProtocolException;
import org.eclipse.jgit.errors.TransportException;

import java.io.IOException;
import java.util.Locale;

/**
 * Maps what JGit and the disk throw to the runner's outcomes, in one place.
 * <ol>
 *   <li>a stopped run (cancellation, timeout, lost lock) is a retry, whatever JGit threw;</li>
 *   <li>no repository at the URL, an unsupported transport, an unknown ref, a refused login: permanent;</li>
 *   <li>other transport and I/O errors (network down, timeouts, a full disk): retry.</li>
 * </ol>
 * Messages name the operation, the working copy and the URL (without credentials).
 */
final class GitErrors {

    private GitErrors() {
    }

    static GitJobException classify(Throwable error, String what, JobProgressMonitor monitor) {
        String stop = monitor == null ? null : monitor.stopReason();
        if (stop != null) {
            return GitJobException.retry(what + " stopped: " + stop + "; will retry", error);
        }
        String message = messageChain(error);
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof NoRemoteRepositoryException || t instanceof InvalidRemoteException) {
                return GitJobException.permanent(what + " failed: no repository there (" + message + ")", error);
            }
            if (t instanceof NotSupportedException) {
                return GitJobException.permanent(what + " failed: transport not supported (" + message + ")", error);
            }
            if (t instanceof RefNotFoundException) {
                return GitJobException.permanent(what + " failed: unknown ref (" + message + ")", error);
            }
            if (t instanceof TransportException || t instanceof org.eclipse.jgit.api.errors.TransportException
                    || t instanceof PackProtocolException) {
                if (isAuthentication(t.getMessage())) {
                    return GitJobException.permanent(what + " failed: the server refused the credentials or asked for some "
                            + "(configure credentials { host { username, password } } for its host): " + message, error);
                }
            }
        }
        if (error instanceof IOException || error.getCause() instanceof IOException
                || error instanceof org.eclipse.jgit.api.errors.TransportException) {
            return GitJobException.retry(what + " failed (network or disk; will retry): " + message, error);
        }
        return GitJobException.retry(what + " failed: " + error.getClass().getSimpleName() + ": " + message, error);
    }

    static String messageChain(Throwable t) {
        Throwable root = t;
        StringBuilder out = new StringBuilder(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
            if (root.getMessage() != null && !out.toString().contains(root.getMessage())) {
                out.append(": ").append(root.getMessage());
            }
        }
        return out.toString();
    }

    private static boolean isAuthentication(String message) {
        if (message == null) {
            return false;
        }
        String lower = message.toLowerCase(Locale.ROOT);
        return lower.contains("not authorized") || lower.contains("authentication is required")
                || lower.contains("authentication not supported") || lower.contains("auth fail");
    }
}
