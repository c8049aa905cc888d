package io.jobrunner.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on a free loopback port in front of a Redis, which can lose one reply: after
 * {@link #dropNextReply()}, the next request a client sends reaches Redis and runs there, but its reply is thrown
 * away and the connection is cut. The client then sees a connection lost with its command in flight, as after a
 * network fault, and Lettuce re-sends that command on its new connection. {@link #close()} stops everything.
 */
public final class ReplyDroppingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final AtomicBoolean armed = new AtomicBoolean();
    private final AtomicInteger cuts = new AtomicInteger();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "reply-dropping-proxy");
        t.setDaemon(true);
        return t;
    });

    private ReplyDroppingProxy(ServerSocket server, int targetPort) {
        this.server = server;
        this.targetPort = targetPort;
    }

    /** A proxy to the Redis on {@code 127.0.0.1:targetPort}, accepting connections. */
    public static ReplyDroppingProxy to(int targetPort) throws IOException {
        ReplyDroppingProxy proxy = new ReplyDroppingProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), targetPort);
        proxy.threads.execute(proxy::accept);
        return proxy;
    }

    public String uri() {
        return "redis://127.0.0.1:" + server.getLocalPort();
    }

    /** The next request of any client runs on Redis; its reply is dropped and that client's connection cut. */
    public void dropNextReply() {
        armed.set(true);
    }

    /** Connections cut so far. */
    public int cuts() {
        return cuts.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(upstream);
                AtomicBoolean dropReply = new AtomicBoolean();
                threads.execute(() -> requests(client, upstream, dropReply));
                threads.execute(() -> replies(client, upstream, dropReply));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Client to Redis: forwards everything; the armed request marks its connection's next reply to be dropped. */
    private void requests(Socket client, Socket upstream, AtomicBoolean dropReply) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = client.getInputStream(); OutputStream out = upstream.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (armed.compareAndSet(true, false)) {
                    dropReply.set(true);
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // a side closed: the other pump ends too
        } finally {
            closeBoth(client, upstream);
        }
    }

    /** Redis to client: forwards replies, except the marked one, which is read, dropped, and ends the connection. */
    private void replies(Socket client, Socket upstream, AtomicBoolean dropReply) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = upstream.getInputStream(); OutputStream out = client.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (dropReply.get()) {
                    cuts.incrementAndGet();
                    return;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // a side closed
        } finally {
            closeBoth(client, upstream);
        }
    }

    private void closeBoth(Socket a, Socket b) {
        for (Socket s : new Socket[]{a, b}) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
            sockets.remove(s);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
        threads.shutdownNow();
    }
}
