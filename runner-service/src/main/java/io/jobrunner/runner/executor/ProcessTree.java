package io.jobrunner.runner.executor;

import org.slf4j.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops a process and everything it started.
 * <ol>
 *   <li>takes the tree (the process and {@link ProcessHandle#descendants()}) <em>before</em> signalling, so
 *       children are still known after their parent dies and they are re-parented;</li>
 *   <li>sends SIGTERM to all of them, waits up to the grace for all to exit;</li>
 *   <li>sends SIGKILL to every survivor and to anything the survivors started meanwhile;</li>
 *   <li>waits (bounded) for the process itself, which the JVM reaps.</li>
 * </ol>
 * Signals go through {@link ProcessHandle}, not {@link Process#destroy()}, which would also close the
 * output pipes before the last output was read. Known limit: a grandchild started by a process that then
 * died of SIGTERM, after the tree was taken, is no longer a descendant and is not found.
 */
public final class ProcessTree {

    private ProcessTree() {
    }

    /** Stops the tree of {@code process}; returns when it is dead or after about twice the grace. */
    public static void kill(Process process, Duration grace, Logger log) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(process.toHandle());
        tree.addAll(process.descendants().toList());
        tree.forEach(ProcessHandle::destroy);
        List<CompletableFuture<?>> exits = new ArrayList<>();
        exits.add(process.onExit());
        tree.subList(1, tree.size()).forEach(handle -> exits.add(handle.onExit()));
        if (await(CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new)), grace)) {
            return;
        }
        Set<ProcessHandle> survivors = new LinkedHashSet<>();
        for (ProcessHandle handle : tree) {
            if (handle.isAlive()) {
                survivors.add(handle);
                handle.descendants().forEach(survivors::add);
            }
        }
        log.info("{} process(es) still alive {} after SIGTERM: sending SIGKILL to {}", survivors.size(),
                Outcomes.format(grace), survivors.stream().map(ProcessHandle::pid).toList());
        survivors.forEach(ProcessHandle::destroyForcibly);
        if (!await(process.onExit(), grace)) {
            log.error("process {} still alive {} after SIGKILL", process.pid(), Outcomes.format(grace));
        }
    }

    /** Waits up to {@code limit}; true when the future completed. Keeps the interrupt flag. */
    private static boolean await(CompletableFuture<?> future, Duration limit) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            while (true) {
                try {
                    future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    return true;
                } catch (InterruptedException e) {
                    interrupted = true; // finish stopping the tree first: leaving it running is worse
                } catch (ExecutionException e) {
                    return true;
                } catch (TimeoutException e) {
                    return false;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
