package io.jobrunner.client;

import java.util.ArrayList;
import java.util.List;

/** Reading the arrays scripts return (Lettuce gives Long for integers, String for bulk, null for nil). */
final class ScriptReplies {

    private ScriptReplies() {
    }

    static long number(List<Object> reply, int index) {
        Object value = reply.get(index);
        if (value instanceof Long l) {
            return l;
        }
        return Long.parseLong(String.valueOf(value));
    }

    static boolean flag(List<Object> reply, int index) {
        return number(reply, index) == 1;
    }

    @SuppressWarnings("unchecked")
    static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<Object>) value) {
            out.add(String.valueOf(o));
        }
        return out;
    }

    static List<String> stringsFrom(List<Object> reply, int from) {
        List<String> out = new ArrayList<>(Math.max(0, reply.size() - from));
        for (int i = from; i < reply.size(); i++) {
            out.add(String.valueOf(reply.get(i)));
        }
        return out;
    }
}
