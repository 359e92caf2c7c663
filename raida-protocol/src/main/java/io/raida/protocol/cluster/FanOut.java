package io.raida.protocol.cluster;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.crypto.KeystreamMode;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One fan-out in progress: a slot per RAIDA with its attempts, and the futures of the call. */
final class FanOut {
    private static final Logger LOG = LoggerFactory.getLogger(FanOut.class);

    final CompletableFuture<ClusterReply> result = new CompletableFuture<>();
    private final CompletableFuture<List<RaidaOutcome>> settled = new CompletableFuture<>();
    private final RaidaCluster cluster;
    private final ClusterCall call;
    private final ClusterOptions options;
    private final long startNanos;
    private final long deadlineNanos;
    private final FanOutSlot[] slots = new FanOutSlot[RaidaNetwork.SIZE];
    private int finished;
    private boolean replyMade;
    /** Set once every remaining slot is being ended: no early decision then, the outcomes are final. */
    private boolean stopping;
    private Future<?> deadlineTask;

    FanOut(RaidaCluster cluster, ClusterCall call) {
        this.cluster = cluster;
        this.call = call;
        this.options = cluster.options();
        this.startNanos = System.nanoTime();
        this.deadlineNanos = startNanos + options.deadline().toNanos();
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new FanOutSlot(i);
        }
    }

    void start() {
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                stopAll(RaidaOutcome.Kind.CANCELLED, "the caller cancelled the fan-out");
            }
        });
        try {
            deadlineTask = cluster.timer().schedule(() -> stopAll(RaidaOutcome.Kind.TIMEOUT, "the deadline of "
                    + options.deadline().toMillis() + " ms passed"), options.deadline().toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            stopAll(RaidaOutcome.Kind.CANCELLED, "the RAIDA cluster was closed");
            return;
        }
        for (FanOutSlot s : slots) {
            attempt(s);
        }
    }

    private boolean keyed() {
        return call.calibration() != null && call.calibration().needsCalibration();
    }

    private void attempt(FanOutSlot s) {
        Transport calibrationTransport;
        synchronized (this) {
            if (s.ended()) {
                return;
            }
            s.attempts++;
            s.current = null;
            calibrationTransport = TransportChoice.forCalibration(options.protocol(), s.tcp);
        }
        Duration timeout = attemptTimeout();
        if (timeout == null) {
            finish(s, failure(s, RaidaOutcome.Kind.TIMEOUT, "the deadline passed"));
            return;
        }
        if (!keyed()) {
            send(s, cluster.knownKeystream(s.id));
            return;
        }
        CompletableFuture<KeystreamMode> mode;
        try {
            mode = cluster.keystream(s.id, call.calibration(), calibrationTransport, timeout);
        } catch (RuntimeException e) {
            onAttempt(s, calibrationTransport, null, e);
            return;
        }
        synchronized (this) {
            s.transport = calibrationTransport;
            s.timeout = timeout;
            if (s.ended()) {
                mode.cancel(false);
                return;
            }
            s.current = mode;
        }
        mode.whenComplete((m, e) -> {
            if (e != null) {
                onAttempt(s, calibrationTransport, null, e);
            } else {
                send(s, m);
            }
        });
    }

    /** min(attempt timeout, time left), or null when no time is left. */
    private Duration attemptTimeout() {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            return null;
        }
        return Duration.ofNanos(Math.min(left, options.attemptTimeout().toNanos()));
    }

    private void send(FanOutSlot s, KeystreamMode mode) {
        synchronized (this) {
            if (s.ended()) {
                return;
            }
        }
        ClientRequest req;
        try {
            req = call.requests().build(s.id, mode);
        } catch (RuntimeException e) {
            finish(s, failure(s, RaidaOutcome.Kind.ERROR, "the request could not be built: " + e.getMessage()));
            return;
        }
        Duration timeout = attemptTimeout();
        if (timeout == null) {
            finish(s, failure(s, RaidaOutcome.Kind.TIMEOUT, "the deadline passed"));
            return;
        }
        Transport t;
        synchronized (this) {
            t = TransportChoice.forRequest(options.protocol(), s.tcp, req.length(), options.udpPayloadThreshold());
            s.transport = t;
            s.timeout = timeout;
        }
        cluster.inFlightCounter().incrementAndGet();
        CompletableFuture<RaidaResponse> f;
        try {
            f = cluster.client().send(cluster.network().endpoint(s.id), req, t, timeout);
        } catch (RuntimeException e) {
            cluster.inFlightCounter().decrementAndGet();
            onAttempt(s, t, null, e);
            return;
        }
        synchronized (this) {
            s.current = f;
        }
        // one callback, so the count is down before the outcome can complete the fan-out
        f.whenComplete((r, e) -> {
            cluster.inFlightCounter().decrementAndGet();
            onAttempt(s, t, r, e);
        });
        boolean ended;
        synchronized (this) {
            ended = s.ended();
        }
        if (ended) {
            f.cancel(false);
        }
    }

    private void onAttempt(FanOutSlot s, Transport t, RaidaResponse r, Throwable error) {
        Throwable e = AttemptErrors.unwrap(error);
        if (e instanceof CancellationException) {
            return; // whoever cancelled finishes the slot
        }
        synchronized (this) {
            if (s.ended()) {
                return;
            }
            s.current = null;
        }
        RaidaOutcome.Kind kind;
        String detail;
        boolean switched = false;
        if (e == null) {
            boolean plausible;
            try {
                plausible = call.replyCheck().test(s.id, r);
            } catch (RuntimeException x) {
                plausible = false;
            }
            if (plausible) {
                finish(s, new RaidaOutcome(s.id, RaidaOutcome.Kind.STATUS, r, t, s.attempts, elapsed(), ""));
                return;
            }
            kind = RaidaOutcome.Kind.VERIFICATION_FAILED;
            detail = "status " + r.status() + " with a payload that does not fit the request (" + r.payloadLength()
                    + " bytes)";
            if (keyed()) {
                cluster.forgetKeystream(s.id);
            }
        } else {
            kind = AttemptErrors.kindOf(e);
            Duration waited;
            synchronized (this) {
                waited = s.timeout;
            }
            detail = AttemptErrors.detail(kind, e, t, waited == null ? options.attemptTimeout() : waited);
            if (kind == RaidaOutcome.Kind.VERIFICATION_FAILED) {
                // a reply that fails its MAC may come from a stale keystream mode: learn it again
                if (keyed()) {
                    cluster.forgetKeystream(s.id);
                }
            } else {
                switched = switchToTcp(s, t);
            }
        }
        retry(s, failure(s, kind, detail), switched);
    }

    private synchronized boolean switchToTcp(FanOutSlot s, Transport t) {
        if (TransportChoice.movesToTcp(options.protocol(), t, s.tcp)) {
            s.tcp = true;
            return true;
        }
        return false;
    }

    private void retry(FanOutSlot s, RaidaOutcome failure, boolean immediately) {
        int attempts;
        synchronized (this) {
            attempts = s.attempts;
        }
        if (attempts >= options.maxAttempts()) {
            finish(s, failure);
            return;
        }
        long delay = immediately ? 0 : Backoff.nanos(options.backoff(), options.maxBackoff(), attempts);
        if (System.nanoTime() + delay >= deadlineNanos) {
            finish(s, failure);
            return;
        }
        if (delay == 0) {
            attempt(s);
            return;
        }
        boolean scheduled = false;
        synchronized (this) {
            // scheduled under the lock: the task's attempt() waits for it, so it cannot run before
            // s.current names it and then have its own send overwritten by this assignment
            if (s.outcome == null && !s.stopped) {
                try {
                    s.current = cluster.timer().schedule(() -> attempt(s), delay, TimeUnit.NANOSECONDS);
                    scheduled = true;
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    scheduled = false;
                }
            } else {
                return;
            }
        }
        if (!scheduled) {
            finish(s, failure);
        }
    }

    private synchronized RaidaOutcome failure(FanOutSlot s, RaidaOutcome.Kind kind, String detail) {
        return s.failure(kind, detail, elapsed());
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Records the final outcome of a slot (once), tells the listener, and completes when decided. */
    private void finish(FanOutSlot s, RaidaOutcome o) {
        Map<Integer, RaidaOutcome> snapshot = null;
        boolean all;
        synchronized (this) {
            if (s.outcome != null) {
                return;
            }
            s.outcome = o;
            s.current = null;
            finished++;
            all = finished == slots.length;
            if (!replyMade && !all && !stopping) {
                snapshot = new HashMap<>();
                for (FanOutSlot x : slots) {
                    if (x.outcome != null) {
                        snapshot.put(x.id, x.outcome);
                    }
                }
            }
        }
        try {
            call.listener().accept(o);
        } catch (RuntimeException e) {
            LOG.warn("RAIDA outcome listener failed for RAIDA {}: {}", o.raidaId(), e.toString());
        }
        if (all) {
            makeReply(false);
            settle();
            return;
        }
        if (snapshot != null) {
            boolean decided;
            try {
                decided = call.decision().isDecided(snapshot);
            } catch (RuntimeException e) {
                LOG.warn("decision rule failed: {}", e.toString());
                decided = false;
            }
            if (decided) {
                makeReply(true);
            }
        }
    }

    private void makeReply(boolean early) {
        synchronized (this) {
            if (replyMade) {
                return;
            }
            replyMade = true;
        }
        if (early && options.stragglers() == StragglerPolicy.CANCEL) {
            if (System.nanoTime() - deadlineNanos >= 0) {
                // decided only as the deadline struck: what is left simply ran out of time
                stopAll(RaidaOutcome.Kind.TIMEOUT, "the deadline of " + options.deadline().toMillis() + " ms passed");
            } else {
                stopAll(RaidaOutcome.Kind.CANCELLED, "the result was decided before it ended");
            }
        }
        List<RaidaOutcome> list = new ArrayList<>(slots.length);
        synchronized (this) {
            for (FanOutSlot s : slots) {
                list.add(s.outcomeNow(elapsed()));
            }
        }
        result.complete(new ClusterReply(list, elapsed(), early, settled));
    }

    private void settle() {
        List<RaidaOutcome> list = new ArrayList<>(slots.length);
        synchronized (this) {
            for (FanOutSlot s : slots) {
                list.add(s.outcome);
            }
        }
        if (deadlineTask != null) {
            deadlineTask.cancel(false);
        }
        cluster.ended(this);
        settled.complete(list);
    }

    /** Ends every slot still running with {@code kind}, cancelling what it has in flight. */
    void stopAll(RaidaOutcome.Kind kind, String detail) {
        synchronized (this) {
            stopping = true;
        }
        for (FanOutSlot s : slots) {
            Future<?> current;
            synchronized (this) {
                if (s.ended()) {
                    continue;
                }
                // marked first so that the cancelled attempt's callback leaves the slot alone
                s.stopped = true;
                s.stopKind = kind;
                s.stopDetail = detail;
                current = s.current;
                s.current = null;
            }
            if (current != null) {
                current.cancel(false);
            }
            finish(s, failure(s, kind, detail));
        }
    }
}
