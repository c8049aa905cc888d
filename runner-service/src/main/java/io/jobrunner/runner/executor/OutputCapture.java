package io.jobrunner.runner.executor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A bounded capture of a byte stream (a command's stdout or stderr, an HTTP response body).
 * <ol>
 *   <li>keeps at most {@code max} bytes: the last ones ({@link #tail}) or the first ones ({@link #head});</li>
 *   <li>counts every byte seen, so {@link #text()} can say how much was cut;</li>
 *   <li>is safe to read from another thread while it is being written.</li>
 * </ol>
 */
final class OutputCapture {

    private final int max;
    private final boolean keepTail;
    private final byte[] buffer;
    private int start;   // tail mode: index of the oldest byte in the ring
    private int size;
    private long total;

    private OutputCapture(int max, boolean keepTail) {
        this.max = max;
        this.keepTail = keepTail;
        this.buffer = new byte[max];
    }

    /** Keeps the last {@code max} bytes. */
    static OutputCapture tail(int max) {
        return new OutputCapture(max, true);
    }

    /** Keeps the first {@code max} bytes. */
    static OutputCapture head(int max) {
        return new OutputCapture(max, false);
    }

    synchronized void write(byte[] bytes, int offset, int length) {
        total += length;
        if (max == 0) {
            return;
        }
        if (!keepTail) {
            int n = Math.min(length, max - size);
            System.arraycopy(bytes, offset, buffer, size, n);
            size += n;
            return;
        }
        if (length >= max) {
            System.arraycopy(bytes, offset + length - max, buffer, 0, max);
            start = 0;
            size = max;
            return;
        }
        for (int i = 0; i < length; i++) {
            int at = (start + size) % max;
            buffer[at] = bytes[offset + i];
            if (size < max) {
                size++;
            } else {
                start = (start + 1) % max;
            }
        }
    }

    /** Copies the stream into this capture until end of stream; returns on EOF or a read error. */
    void drain(InputStream in) throws IOException {
        byte[] chunk = new byte[8192];
        int n;
        while ((n = in.read(chunk)) >= 0) {
            write(chunk, 0, n);
        }
    }

    synchronized long total() {
        return total;
    }

    synchronized boolean truncated() {
        return total > size;
    }

    /** The kept bytes as UTF-8 (malformed sequences replaced), trailing newlines stripped. */
    synchronized String content() {
        byte[] out = new byte[size];
        for (int i = 0; i < size; i++) {
            out[i] = buffer[(start + i) % Math.max(max, 1)];
        }
        return new String(out, StandardCharsets.UTF_8).stripTrailing();
    }

    /** The kept text, with a note of what was cut when over the cap. */
    synchronized String text() {
        if (!truncated()) {
            return content();
        }
        String note = "[truncated: " + (total - size) + " of " + total + " bytes cut, kept the "
                + (keepTail ? "last " : "first ") + size + "]";
        String kept = content();
        if (kept.isEmpty()) {
            return note;
        }
        return keepTail ? note + " " + kept : kept + " " + note;
    }
}
