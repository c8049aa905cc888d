package io.jobrunner.git;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobrunner.git.UrlPolicy.RemoteUrl;
import org.eclipse.jgit.lib.Repository;

import java.util.regex.Pattern;

/**
 * The params of a git job, checked before anything touches the disk or the network: {@code url} (checked by
 * the {@link UrlPolicy}), {@code name} (the working copy's directory under the root; derived from the URL
 * when absent) and {@code ref} (a branch, tag or commit; absent means the default). Unknown params are ignored.
 *
 * @param name the working copy's name, one directory level under the root
 * @param url  the repository, or null when the job gave only a name
 * @param ref  the ref to move to, or null
 */
record GitJobParams(String name, RemoteUrl url, String ref) {

    /** A name is one plain directory: no separators, no {@code .} or {@code ..}, not hidden. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,99}");
    static final String NAME_RULE = "1 to 100 characters of A-Z a-z 0-9 . _ -, not starting with . or - (no path separators, no '..')";

    /**
     * Reads params.
     *
     * @param urlRequired true for git-clone; otherwise {@code name} or {@code url} must be given
     */
    static GitJobParams parse(ObjectNode params, boolean urlRequired, UrlPolicy policy) throws GitJobException {
        String urlText = text(params, "url");
        String name = text(params, "name");
        String ref = text(params, "ref");
        if (urlRequired && urlText == null) {
            throw GitJobException.permanent("param 'url' is required: the repository to clone");
        }
        if (urlText == null && name == null) {
            throw GitJobException.permanent("param 'name' or 'url' is required: which working copy");
        }
        RemoteUrl url = urlText == null ? null : policy.check(urlText);
        if (name == null) {
            name = derivedName(url);
        } else {
            checkName(name);
        }
        if (ref != null) {
            checkRef(ref);
        }
        return new GitJobParams(name, url, ref);
    }

    /** The URL's last path segment without {@code .git}: {@code https://host/org/pack.git} gives {@code pack}. */
    static String derivedName(RemoteUrl url) throws GitJobException {
        String human;
        try {
            human = url.uri().getHumanishName();
        } catch (IllegalArgumentException e) {
            human = "";
        }
        if (!NAME.matcher(human).matches()) {
            throw GitJobException.permanent("cannot derive a working copy name from the URL '" + url
                    + "' (got '" + human + "'); give param 'name': " + NAME_RULE);
        }
        return human;
    }

    static void checkName(String name) throws GitJobException {
        if (!NAME.matcher(name).matches()) {
            String shown = printable(name);
            throw GitJobException.permanent("param 'name' '" + shown + "' is not allowed: a working copy name is " + NAME_RULE);
        }
    }

    /** A branch or tag name (optionally with refs/heads/ or refs/tags/) or a commit id. */
    static void checkRef(String ref) throws GitJobException {
        String full = ref.startsWith("refs/") ? ref : "refs/heads/" + ref;
        if (ref.startsWith("-") || ref.length() > 255 || !Repository.isValidRefName(full)) {
            String shown = printable(ref);
            throw GitJobException.permanent("param 'ref' '" + shown + "' is not a valid branch, tag or commit name");
        }
    }

    /** At most 120 characters, control characters shown as {@code ?}: safe to put in a message. */
    static String printable(String value) {
        String cut = value.length() > 120 ? value.substring(0, 120) + "..." : value;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    private static String text(ObjectNode params, String field) throws GitJobException {
        JsonNode node = params.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.textValue().isEmpty()) {
            throw GitJobException.permanent("param '" + field + "' must be a non-empty string, got " + node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
        }
        return node.textValue();
    }
}
