package io.jobrunner.bench;

import io.jobrunner.client.Script;
import io.lettuce.core.RedisURI;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Counts the commands Redis runs while it is open, through {@code MONITOR} on a socket of its own, so
 * script calls can be told apart (INFO commandstats only says "evalsha"):
 * <ol>
 *   <li>top-level commands by name, with {@code evalsha}/{@code eval} named by script ({@code evalsha push});</li>
 *   <li>commands run inside scripts by name ({@code [0 lua]} lines);</li>
 * </ol>
 * MONITOR slows Redis down: use it on a separate, small pass, never on a timed one. {@link #stop} sends a
 * marker and waits until the tap has read it, so every command before it is counted.
 */
public final class MonitorTap implements AutoCloseable {

    private static final String MARKER = "jobrunner-bench-monitor-end";

    private final Socket socket;
    private final Thread reader;
    private final Map<String, String> scriptNames = new HashMap<>();
    private final Map<String, Long> topLevel = new TreeMap<>();
    private final Map<String, Long> inScripts = new TreeMap<>();
    private final CountDownLatch markerSeen = new CountDownLatch(1);
    private volatile boolean counting;

    private MonitorTap(Socket socket, BufferedReader in) {
        this.socket = socket;
        for (Script s : Script.values()) {
            scriptNames.put(s.sha(), s.fileName().replace(".lua", ""));
        }
        this.reader = new Thread(() -> read(in), "bench-monitor");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Opens a MONITOR on the Redis at {@code uri}; counting starts with {@link #start}. */
    public static MonitorTap open(String uri, Map<String, String> extraScriptNames) throws IOException {
        RedisURI parsed = RedisURI.create(uri);
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(parsed.getHost(), parsed.getPort()), 5_000);
        OutputStream out = socket.getOutputStream();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8), 1 << 16);
        if (parsed.getPassword() != null && parsed.getPassword().length > 0) {
            String user = parsed.getUsername();
            String pass = new String(parsed.getPassword());
            out.write(resp(user == null ? new String[]{"AUTH", pass} : new String[]{"AUTH", user, pass}));
            String reply = in.readLine();
            if (reply == null || !reply.startsWith("+OK")) {
                socket.close();
                throw new IOException("MONITOR: AUTH failed: " + reply);
            }
        }
        out.write(resp(new String[]{"MONITOR"}));
        out.flush();
        String ok = in.readLine();
        if (ok == null || !ok.startsWith("+OK")) {
            socket.close();
            throw new IOException("MONITOR refused: " + ok);
        }
        MonitorTap tap = new MonitorTap(socket, in);
        tap.scriptNames.putAll(extraScriptNames);
        return tap;
    }

    public void start() {
        counting = true;
    }

    /** Stops counting once every command sent before this call has been read (bounded wait). */
    public void stop(io.lettuce.core.api.sync.RedisCommands<String, String> admin) throws InterruptedException {
        admin.echo(MARKER);
        if (!markerSeen.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("MONITOR: the end marker did not arrive within 60 s");
        }
        counting = false;
    }

    public synchronized Map<String, Long> topLevel() {
        return new TreeMap<>(topLevel);
    }

    public synchronized Map<String, Long> inScripts() {
        return new TreeMap<>(inScripts);
    }

    private void read(BufferedReader in) {
        try {
            String line;
            while ((line = in.readLine()) != null) {
                int close = line.indexOf("] ");
                if (close < 0) {
                    continue;
                }
                boolean lua = line.startsWith(" lua", close - 4);
                int p = close + 2;
                String[] first = quoted(line, p);
                if (first == null) {
                    continue;
                }
                String cmd = first[0].toLowerCase();
                if (cmd.equals("echo")) {
                    String[] arg = quoted(line, Integer.parseInt(first[1]));
                    if (arg != null && arg[0].equals(MARKER)) {
                        markerSeen.countDown();
                        continue;
                    }
                }
                if (!counting) {
                    continue;
                }
                if (!lua && (cmd.equals("evalsha") || cmd.equals("eval"))) {
                    String[] arg = quoted(line, Integer.parseInt(first[1]));
                    String name = arg == null ? "?" : cmd.equals("evalsha")
                            ? scriptNames.getOrDefault(arg[0], arg[0].substring(0, Math.min(8, arg[0].length())))
                            : "(script text)";
                    cmd = cmd + " " + name;
                }
                synchronized (this) {
                    (lua ? inScripts : topLevel).merge(cmd, 1L, Long::sum);
                }
            }
        } catch (IOException e) {
            // the socket was closed: done
        }
    }

    /** The quoted token starting at or after {@code from}: {value, index after it}; null if none. */
    private static String[] quoted(String line, int from) {
        int start = line.indexOf('"', from);
        if (start < 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = start + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                sb.append(line.charAt(++i));
            } else if (c == '"') {
                return new String[]{sb.toString(), Integer.toString(i + 1)};
            } else {
                sb.append(c);
            }
        }
        return null;
    }

    private static byte[] resp(String[] parts) {
        StringBuilder sb = new StringBuilder("*").append(parts.length).append("\r\n");
        for (String p : parts) {
            byte[] b = p.getBytes(StandardCharsets.UTF_8);
            sb.append('$').append(b.length).append("\r\n").append(p).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
