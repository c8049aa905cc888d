package io.jobrunner.mediawiki.runner;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads a stream to its end keeping only its last {@code max} bytes (a batch's stderr). */
final class BoundedTail {

    private final byte[] ring;
    private long total;

    BoundedTail(int max) {
        this.ring = new byte[max];
    }

    void drain(InputStream in) throws IOException {
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) != -1) {
            for (int i = 0; i < n; i++) {
                ring[(int) (total++ % ring.length)] = buf[i];
            }
        }
    }

    synchronized String text() {
        int size = (int) Math.min(total, ring.length);
        byte[] out = new byte[size];
        long start = total - size;
        for (int i = 0; i < size; i++) {
            out[i] = ring[(int) ((start + i) % ring.length)];
        }
        return (total > ring.length ? "..." : "") + new String(out, StandardCharsets.UTF_8).strip();
    }
}
