package io.raida.protocol.cluster;

import io.raida.protocol.Transport;
import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.client.ResponseParser;
import io.raida.protocol.crypto.KeystreamMode;
import io.raida.protocol.transport.RaidaClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The calibration bookkeeping of {@link RaidaCluster} (auth.md §4): the keystream mode learned per
 * RAIDA, the learnings in progress (one per RAIDA, shared by every fan-out that needs it meanwhile)
 * and the count of calibration requests sent.
 */
final class KeystreamCalibrator {
    private final RaidaNetwork network;
    private final RaidaClient client;
    private final AtomicInteger inFlight;
    private final AtomicReferenceArray<KeystreamMode> keystreams = new AtomicReferenceArray<>(RaidaNetwork.SIZE);
    private final Map<Integer, Calibration> calibrating = new HashMap<>();
    private final AtomicInteger calibrationRequests = new AtomicInteger();

    KeystreamCalibrator(RaidaNetwork network, RaidaClient client, AtomicInteger inFlight) {
        this.network = network;
        this.client = client;
        this.inFlight = inFlight;
    }

    /** The mode learned for RAIDA {@code id}, or null. */
    KeystreamMode learned(int id) {
        return keystreams.get(id);
    }

    void learn(int id, KeystreamMode mode) {
        keystreams.set(id, mode);
    }

    int requests() {
        return calibrationRequests.get();
    }

    /**
     * The keystream mode of RAIDA {@code id}: known, or learned with one type 1 version request
     * shared by every fan-out that needs it meanwhile. The returned future may be cancelled by its
     * caller; the request itself is cancelled when no caller waits any more.
     */
    CompletableFuture<KeystreamMode> keystream(int id, KeyCoin key, Transport transport, Duration timeout) {
        KeystreamMode known = keystreams.get(id);
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        Calibration c;
        boolean start = false;
        synchronized (calibrating) {
            c = calibrating.get(id);
            if (c == null) {
                c = new Calibration();
                calibrating.put(id, c);
                start = true;
            }
            c.waiters++;
        }
        Calibration cal = c;
        CompletableFuture<KeystreamMode> dependent = cal.mode.copy();
        dependent.whenComplete((m, e) -> {
            if (dependent.isCancelled()) {
                boolean last;
                synchronized (calibrating) {
                    last = --cal.waiters == 0;
                }
                if (last && cal.exchange != null) {
                    cal.exchange.cancel(false);
                }
            }
        });
        if (start) {
            calibrationRequests.incrementAndGet();
            ClientRequest req = key.apply(RequestBuilder.command(id, 0, 1), id, KeystreamMode.CONTINUE).build();
            inFlight.incrementAndGet();
            CompletableFuture<byte[]> ex = client.exchange(network.endpoint(id), req.frame(), transport, timeout);
            cal.exchange = ex;
            ex.whenComplete((bytes, e) -> {
                inFlight.decrementAndGet();
                synchronized (calibrating) {
                    calibrating.remove(id, cal);
                }
                if (e != null) {
                    cal.mode.completeExceptionally(e);
                    return;
                }
                try {
                    KeystreamMode m = ResponseParser.calibrate(req, bytes);
                    keystreams.set(id, m);
                    cal.mode.complete(m);
                } catch (RuntimeException x) {
                    cal.mode.completeExceptionally(x);
                }
            });
        }
        return dependent;
    }

    /** Cancels every calibration request in flight (the cluster is closing). */
    void cancelAll() {
        synchronized (calibrating) {
            for (Calibration c : calibrating.values()) {
                if (c.exchange != null) {
                    c.exchange.cancel(false);
                }
            }
        }
    }

    /** One learning of a keystream mode in progress. */
    private static final class Calibration {
        final CompletableFuture<KeystreamMode> mode = new CompletableFuture<>();
        volatile CompletableFuture<byte[]> exchange;
        int waiters;
    }
}
