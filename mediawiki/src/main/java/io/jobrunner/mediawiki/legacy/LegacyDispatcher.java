package io.jobrunner.mediawiki.legacy;

import io.jobrunner.mediawiki.Placeholders;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The legacy {@code dispatcher} string as a dispatch kind: a template the shell would only split on whitespace
 * becomes {@code kind = command} with an argv ({@code --wiki='testwiki'} unquoted by the shell is
 * {@code --wiki=testwiki}, so {@code --wiki=%(db)x} becomes {@code --wiki={db}}); any other template stays
 * {@code kind = shell}, run through {@code /bin/sh -c} as before.
 */
record LegacyDispatcher(List<String> argv, String shellTemplate) {

    private static final Pattern QUOTED = Pattern.compile("%\\(([a-z]+)\\)x");
    private static final String SHELL_SPECIALS = "|&;<>()$`\\\"'*?[]#~{}\n\r";

    boolean isCommand() {
        return argv != null;
    }

    static LegacyDispatcher of(String template) {
        if (template.contains(")u") && template.matches("(?s).*%\\([a-z]+\\)u.*")) {
            return new LegacyDispatcher(null, template);
        }
        Matcher m = QUOTED.matcher(template);
        while (m.find()) {
            if (!Placeholders.NAMES.contains(m.group(1))) {
                return new LegacyDispatcher(null, template);
            }
        }
        String unmarked = m.replaceAll("");
        for (char c : SHELL_SPECIALS.toCharArray()) {
            if (unmarked.indexOf(c) >= 0) {
                return new LegacyDispatcher(null, template);
            }
        }
        List<String> argv = new ArrayList<>();
        for (String word : template.trim().split("[ \t]+")) {
            if (!word.isEmpty()) {
                argv.add(QUOTED.matcher(word).replaceAll("{$1}"));
            }
        }
        return argv.isEmpty() ? new LegacyDispatcher(null, template) : new LegacyDispatcher(argv, null);
    }
}
