package io.jobrunner.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * For processes that start a throwaway Redis on this machine (the quickstart, the test fixture, the bench):
 * a free loopback port to start it on, and a raw PING to know when it answers. No client library involved,
 * so it works before anything is configured.
 */
public final class LoopbackRedis {

    private LoopbackRedis() {
    }

    /** A loopback port that was free a moment ago (another process may still take it: callers retry). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("cannot find a free loopback port", e);
        }
    }

    /** True when a Redis on this loopback port answers PING. */
    public static boolean ping(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] buf = new byte[7];
            InputStream in = socket.getInputStream();
            int n = in.read(buf);
            return n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * PINGs until PONG or the timeout; false when it never answered, when {@code process} (may be null) died
     * first, or when the waiting thread was interrupted (its flag restored).
     */
    public static boolean awaitPong(int port, Process process, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (process != null && !process.isAlive()) {
                return false;
            }
            if (ping(port)) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
