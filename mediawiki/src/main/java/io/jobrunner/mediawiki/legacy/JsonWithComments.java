package io.jobrunner.mediawiki.legacy;

/**
 * The PHP services' "JSON with comments": {@code //} to the end of the line is a comment, but only outside JSON
 * strings. This accepts every file PHP accepted (PHP stripped {@code //} even inside strings, so a file valid for
 * PHP has none there) and also {@code "http://..."}, which PHP broke.
 */
final class JsonWithComments {

    private JsonWithComments() {
    }

    static String strip(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\' && i + 1 < text.length()) {
                    out.append(text.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
                out.append(c);
            } else if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '/') {
                while (i < text.length() && text.charAt(i) != '\n') {
                    i++;
                }
                if (i < text.length()) {
                    out.append('\n');
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
