package io.jobrunner.mediawiki;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * MediaWiki's naming rules, computed the way MediaWiki computes them (so a queue's keys are the ones MediaWiki
 * wrote, for every wiki name):
 * <ul>
 *   <li>{@link #rawurlencode} / {@link #rawurldecode}: PHP's functions (RFC 3986: only {@code A-Z a-z 0-9 - _ . ~}
 *       unescaped, uppercase hex, space as {@code %20}; decoding never turns {@code +} into a space);</li>
 *   <li>{@link #wikiId}: the wiki ID of a DB domain ID ({@code my?hwiki} is wiki {@code my-wiki});</li>
 *   <li>{@link #keyPrefix}: {@code rawurlencode(wikiId) ":jobqueue:" rawurlencode(type) ":"};</li>
 *   <li>{@link #decodeQueueId}: a member of {@code s-queuesWithJobs}, PHP's {@code json_encode([type, domain])};</li>
 *   <li>{@link #readyField} / {@link #parseReadyField}: a field of the ready map,
 *       {@code rawurlencode(type) "/" rawurlencode(domain)}.</li>
 * </ul>
 */
public final class MwNames {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private MwNames() {
    }

    /** PHP {@code rawurlencode} of the UTF-8 bytes of {@code value}. */
    public static String rawurlencode(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    /**
     * PHP {@code rawurldecode}, read as UTF-8: {@code %XX} becomes its byte, anything else (a {@code +}, a lone
     * {@code %}) stays as it is.
     *
     * @throws IllegalArgumentException when the bytes are not valid UTF-8
     */
    public static String rawurldecode(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        byte[] in = value.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%' && i + 2 < in.length && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
                out.write(hex(in[i + 1]) << 4 | hex(in[i + 2]));
                i += 2;
            } else {
                out.write(in[i]);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("'" + value + "' does not decode to UTF-8");
        }
    }

    private static int hex(byte b) {
        return Character.digit(b, 16);
    }

    /**
     * The wiki ID of a DB domain ID, as MediaWiki's {@code WikiMap::getWikiIdFromDbDomain}: the domain splits at
     * {@code -} into database, [schema,] prefix, each unescaped ({@code ?h} is {@code -}, {@code ??} is {@code ?});
     * a schema other than none or {@code mediawiki} is kept; the parts are joined with {@code -}, unencoded.
     *
     * @throws IllegalArgumentException for a domain of more than 3 parts
     */
    public static String wikiId(String domain) {
        String[] raw = domain.split("-", -1);
        if (raw.length > 3) {
            throw new IllegalArgumentException("domain '" + domain + "' has " + raw.length + " '-' separated parts; MediaWiki allows 1 to 3");
        }
        List<String> parts = new ArrayList<>(raw.length);
        for (String part : raw) {
            parts.add(unescapeDomainPart(part));
        }
        String database = parts.get(0);
        String schema = parts.size() == 3 && !parts.get(1).isEmpty() ? parts.get(1) : null;
        String prefix = parts.size() == 1 ? "" : parts.get(parts.size() - 1);
        if (schema != null && !schema.equals("mediawiki")) {
            return database + "-" + schema + "-" + prefix;
        }
        return prefix.isEmpty() ? database : database + "-" + prefix;
    }

    private static String unescapeDomainPart(String part) {
        if (part.indexOf('?') < 0) {
            return part;
        }
        StringBuilder out = new StringBuilder(part.length());
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c == '?' && i + 1 < part.length() && (part.charAt(i + 1) == 'h' || part.charAt(i + 1) == '?')) {
                out.append(part.charAt(i + 1) == 'h' ? '-' : '?');
                i++;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The prefix of a queue's keys, {@code <W>:jobqueue:<T>:}, as MediaWiki's JobQueueRedis writes them. */
    public static String keyPrefix(String domain, String type) {
        return rawurlencode(wikiId(domain)) + ":jobqueue:" + rawurlencode(type) + ":";
    }

    /**
     * A member of {@code s-queuesWithJobs}: a JSON array of exactly two strings, {@code [type, domain]}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static MwQueue decodeQueueId(String member) {
        JsonNode node;
        try {
            node = JSON.readTree(member);
        } catch (IOException e) {
            throw new IllegalArgumentException("queue id '" + member + "' is not JSON");
        }
        if (node == null || !node.isArray() || node.size() != 2 || !node.get(0).isTextual() || !node.get(1).isTextual()) {
            throw new IllegalArgumentException("queue id '" + member + "' is not a JSON array of two strings [type, domain]");
        }
        String type = node.get(0).asText();
        String domain = node.get(1).asText();
        if (type.isEmpty() || domain.isEmpty()) {
            throw new IllegalArgumentException("queue id '" + member + "' has an empty type or domain");
        }
        return new MwQueue(type, domain, member);
    }

    /** The ready map's field of a queue. */
    public static String readyField(String type, String domain) {
        return rawurlencode(type) + "/" + rawurlencode(domain);
    }

    /**
     * A ready-map field back to {@code {type, domain}}.
     *
     * @throws IllegalArgumentException for a field without '/', an empty half or invalid UTF-8
     */
    public static String[] parseReadyField(String field) {
        int slash = field.indexOf('/');
        if (slash <= 0 || slash == field.length() - 1) {
            throw new IllegalArgumentException("ready-map field '" + field + "' is not <type>/<domain>");
        }
        return new String[]{rawurldecode(field.substring(0, slash)), rawurldecode(field.substring(slash + 1))};
    }
}
