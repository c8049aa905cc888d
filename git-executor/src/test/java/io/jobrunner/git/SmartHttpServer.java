package io.jobrunner.git;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.RefAdvertiser;
import org.eclipse.jgit.transport.UploadPack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * A minimal git smart-HTTP server (read-only, protocol v0) on 127.0.0.1, built on the JDK's HTTP server and
 * JGit's {@link UploadPack}, serving one bare repository at {@code /repo.git} behind HTTP Basic auth. It keeps
 * every Authorization header it receives, so tests can check the credentials really went over the wire.
 */
final class SmartHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private final Path bare;
    private final String username;
    private final String password;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();

    private SmartHttpServer(Path bare, String username, String password) throws IOException {
        this.bare = bare;
        this.username = username;
        this.password = password;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/repo.git/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    static SmartHttpServer serve(Path bare, String username, String password) throws IOException {
        return new SmartHttpServer(bare, username, password);
    }

    /** {@code http://127.0.0.1:<port>/repo.git}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/repo.git";
    }

    /** The decoded {@code user:password} of every Basic Authorization header received. */
    List<String> credentialsReceived() {
        return List.copyOf(authorizations);
    }

    /** Requests received so far, with or without credentials. */
    int requests() {
        return requests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth != null && auth.startsWith("Basic ")) {
                authorizations.add(new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8));
            }
            String expected = "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(auth)) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getQuery();
            try (Repository repo = new FileRepositoryBuilder().setGitDir(bare.toFile()).setMustExist(true).build()) {
                if (exchange.getRequestMethod().equals("GET") && path.endsWith("/info/refs") && "service=git-upload-pack".equals(query)) {
                    advertise(exchange, repo);
                } else if (exchange.getRequestMethod().equals("POST") && path.endsWith("/git-upload-pack")) {
                    upload(exchange, repo);
                } else {
                    exchange.sendResponseHeaders(404, -1);
                }
            }
        }
    }

    private static void advertise(HttpExchange exchange, Repository repo) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        PacketLineOut out = new PacketLineOut(body);
        out.writeString("# service=git-upload-pack\n");
        out.end();
        try (UploadPack pack = new UploadPack(repo)) {
            pack.setBiDirectionalPipe(false);
            pack.sendAdvertisedRefs(new RefAdvertiser.PacketLineOutRefAdvertiser(out));
        }
        exchange.getResponseHeaders().add("Content-Type", "application/x-git-upload-pack-advertisement");
        exchange.getResponseHeaders().add("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, body.size());
        try (OutputStream response = exchange.getResponseBody()) {
            body.writeTo(response);
        }
    }

    private static void upload(HttpExchange exchange, Repository repo) throws IOException {
        InputStream in = exchange.getRequestBody();
        if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            in = new GZIPInputStream(in);
        }
        exchange.getResponseHeaders().add("Content-Type", "application/x-git-upload-pack-result");
        exchange.getResponseHeaders().add("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream response = exchange.getResponseBody(); UploadPack pack = new UploadPack(repo)) {
            pack.setBiDirectionalPipe(false);
            pack.upload(in, response, null);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
