package io.jobrunner.mediawiki.runner;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test fixture: a stand-in for {@code runJobs.php --result=json}, started by the runner as a real process. It
 * implements MediaWiki's pop/ack contract from its description (pop: take the id at the pop end of
 * {@code l-unclaimed}, claim it in {@code z-claimed} at now, count the attempt; ack: drop the claim, the attempts
 * and the data), runs each job as its data says, and prints the JSON object runJobs prints. It talks RESP over a
 * socket so it starts in a fraction of a second.
 *
 * <p>Arguments: {@code --port=P --wiki=W --type=T --maxtime=S}. A job's data is {@code "<sleepMs> <ok|fail>
 * [grandchild]"}. The environment variable {@code FAKE_MODE} makes it behave otherwise: {@code none-possible},
 * {@code read-only}, {@code exit1} (stderr and exit 1), {@code misrouted} (finds nothing), {@code raced} (another
 * runner took every ready job just before), {@code backoff} (names its type in backoffs). Each start is counted in {@code fake:starts}; concurrency per type in
 * {@code fake:running:<type>} with its maximum in {@code fake:max:<type>}.
 */
public final class FakeRunJobs {

    private static final String POP = """
            local id = redis.call('RPOP', KEYS[1])
            if not id then return false end
            local sha1 = redis.call('HGET', KEYS[2], id)
            if sha1 then redis.call('HDEL', KEYS[3], sha1) end
            redis.call('HDEL', KEYS[2], id)
            redis.call('ZADD', KEYS[4], ARGV[1], id)
            redis.call('HINCRBY', KEYS[5], id, 1)
            return {id, redis.call('HGET', KEYS[6], id) or ''}""";
    private static final String ACK = """
            if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return 0 end
            redis.call('HDEL', KEYS[2], ARGV[1])
            return redis.call('HDEL', KEYS[3], ARGV[1])""";
    private static final String ENTER = """
            local n = redis.call('INCR', KEYS[1])
            if n > tonumber(redis.call('GET', KEYS[2]) or '0') then redis.call('SET', KEYS[2], n) end
            return n""";

    private final InputStream in;
    private final OutputStream out;

    private FakeRunJobs(Socket socket) throws IOException {
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (String a : argv) {
            int eq = a.indexOf('=');
            args.put(a.substring(2, eq), a.substring(eq + 1));
        }
        String mode = System.getenv().getOrDefault("FAKE_MODE", "");
        String type = args.get("type");
        String p = args.get("wiki") + ":jobqueue:" + type + ":";
        long deadline = System.currentTimeMillis() + Long.parseLong(args.get("maxtime")) * 1000;
        try (Socket socket = new Socket("127.0.0.1", Integer.parseInt(args.get("port")))) {
            FakeRunJobs redis = new FakeRunJobs(socket);
            redis.call("INCR", "fake:starts");
            if (mode.equals("exit1")) {
                System.err.println("PHP Fatal error: Uncaught JobQueueConnectionError: Unable to connect to redis server");
                System.exit(1);
            }
            if (mode.equals("none-possible") || mode.equals("read-only")) {
                System.out.print("{\n    \"jobs\": [],\n    \"reached\": \"" + mode + "\"\n}");
                return;
            }
            redis.call("EVAL", ENTER, "2", "fake:running:" + type, "fake:max:" + type);
            if (mode.equals("raced")) {
                redis.call("DEL", p + "l-unclaimed"); // another runner popped every ready job just before this batch
            }
            StringBuilder jobs = new StringBuilder();
            String reached = "none-ready";
            int n = 0;
            while (!mode.equals("misrouted") && !mode.equals("backoff")) {
                if (System.currentTimeMillis() >= deadline) {
                    reached = "time-limit";
                    break;
                }
                Object popped = redis.call("EVAL", POP, "6", p + "l-unclaimed", p + "h-sha1ById", p + "h-idBySha1", p + "z-claimed",
                        p + "h-attempts", p + "h-data", Long.toString(System.currentTimeMillis() / 1000));
                if (!(popped instanceof List<?> pair)) {
                    break;
                }
                String id = (String) pair.get(0);
                String[] data = ((String) pair.get(1)).split(" ");
                long start = System.currentTimeMillis();
                if (data.length > 2 && data[2].equals("grandchild")) {
                    Process child = new ProcessBuilder("sleep", "300").start();
                    redis.call("SET", "fake:grandchild", Long.toString(child.pid()));
                }
                Thread.sleep(Long.parseLong(data[0]));
                boolean ok = data.length < 2 || data[1].equals("ok");
                if (ok) {
                    redis.call("EVAL", ACK, "3", p + "z-claimed", p + "h-attempts", p + "h-data", id);
                }
                jobs.append(n++ == 0 ? "" : ",").append("{\"type\":\"").append(type).append("\",\"status\":\"").append(ok ? "ok" : "failed")
                        .append("\",\"error\":").append(ok ? "null" : "\"fake failure\"").append(",\"time\":")
                        .append(System.currentTimeMillis() - start).append('}');
            }
            redis.call("DECR", "fake:running:" + type);
            String backoffs = mode.equals("backoff") ? "{\"" + type + "\":" + (System.currentTimeMillis() / 1000.0 + 30) + "}" : "[]";
            System.out.print("{\"jobs\":[" + jobs + "],\"reached\":\"" + reached + "\",\"backoffs\":" + backoffs + ",\"elapsed\":1}");
        }
    }

    private Object call(String... parts) throws IOException {
        StringBuilder b = new StringBuilder("*").append(parts.length).append("\r\n");
        for (String part : parts) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            b.append('$').append(bytes.length).append("\r\n").append(part).append("\r\n");
        }
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        return read();
    }

    private Object read() throws IOException {
        int kind = in.read();
        String line = line();
        switch (kind) {
            case '+', ':' -> {
                return line;
            }
            case '-' -> throw new IOException("redis: " + line);
            case '$' -> {
                int len = Integer.parseInt(line);
                if (len < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(len + 2);
                return new String(bytes, 0, len, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int len = Integer.parseInt(line);
                if (len < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < len; i++) {
                    items.add(read());
                }
                return items;
            }
            default -> throw new IOException("unexpected reply type " + (char) kind);
        }
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c == -1) {
                throw new IOException("connection closed");
            }
            b.append((char) c);
        }
        in.read();
        return b.toString();
    }
}
