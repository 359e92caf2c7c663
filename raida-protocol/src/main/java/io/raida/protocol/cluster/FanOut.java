package io.raida.protocol.cluster;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.crypto.KeystreamMode;
import io.raida.protocol.client.MalformedResponseException;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.ResponseVerificationException;
import io.raida.protocol.Transport;
import io.raida.protocol.transport.RaidaTimeoutException;
import java.net.ConnectException;
import java.net.PortUnreachableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
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
    private final Slot[] slots = new Slot[RaidaNetwork.SIZE];
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
            slots[i] = new Slot(i);
        }
    }

    /** Per RAIDA state; guarded by the FanOut's lock. */
    private static final class Slot {
        final int id;
        int attempts;
        Transport transport;
        Duration timeout;
        boolean tcp;
        Future<?> current;
        RaidaOutcome outcome;
        boolean stopped;
        /** Set with {@link #stopped}: how the stop ends the slot, for a reply made before it finished. */
        RaidaOutcome.Kind stopKind;
        String stopDetail;

        Slot(int id) {
            this.id = id;
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
        for (Slot s : slots) {
            attempt(s);
        }
    }

    private boolean keyed() {
        return call.calibration() != null && call.calibration().needsCalibration();
    }

    private void attempt(Slot s) {
        Transport calibrationTransport;
        synchronized (this) {
            if (s.outcome != null || s.stopped) {
                return;
            }
            s.attempts++;
            s.current = null;
            calibrationTransport = options.protocol() == ProtocolPolicy.TCP_ONLY || s.tcp ? Transport.TCP : Transport.UDP;
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
            if (s.outcome != null || s.stopped) {
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

    private void send(Slot s, KeystreamMode mode) {
        synchronized (this) {
            if (s.outcome != null || s.stopped) {
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
            t = chooseTransport(s, req);
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
            ended = s.outcome != null || s.stopped;
        }
        if (ended) {
            f.cancel(false);
        }
    }

    private Transport chooseTransport(Slot s, ClientRequest req) {
        switch (options.protocol()) {
            case UDP_ONLY:
                return Transport.UDP;
            case TCP_ONLY:
                return Transport.TCP;
            default:
                return s.tcp || req.length() > options.udpPayloadThreshold() ? Transport.TCP : Transport.UDP;
        }
    }

    private void onAttempt(Slot s, Transport t, RaidaResponse r, Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof CancellationException) {
            return; // whoever cancelled finishes the slot
        }
        synchronized (this) {
            if (s.outcome != null || s.stopped) {
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
            detail = "status " + r.status() + " with a payload that does not fit the request (" + r.payload().length
                    + " bytes)";
            if (keyed()) {
                cluster.forgetKeystream(s.id);
            }
        } else if (e instanceof RaidaTimeoutException) {
            kind = RaidaOutcome.Kind.TIMEOUT;
            Duration waited;
            synchronized (this) {
                waited = s.timeout;
            }
            detail = "no reply over " + t + " within " + (waited == null ? options.attemptTimeout() : waited).toMillis()
                    + " ms";
            switched = switchToTcp(s, t);
        } else if (isRefused(e)) {
            kind = RaidaOutcome.Kind.REFUSED;
            detail = t + " refused";
            switched = switchToTcp(s, t);
        } else if (e instanceof ResponseVerificationException || e instanceof MalformedResponseException) {
            kind = RaidaOutcome.Kind.VERIFICATION_FAILED;
            detail = e.getMessage();
            if (keyed()) {
                cluster.forgetKeystream(s.id);
            }
        } else {
            kind = RaidaOutcome.Kind.ERROR;
            detail = String.valueOf(e.getMessage());
            switched = switchToTcp(s, t);
        }
        retry(s, failure(s, kind, detail), switched);
    }

    private synchronized boolean switchToTcp(Slot s, Transport t) {
        if (t == Transport.UDP && options.protocol() == ProtocolPolicy.UDP_THEN_TCP && !s.tcp) {
            s.tcp = true;
            return true;
        }
        return false;
    }

    private void retry(Slot s, RaidaOutcome failure, boolean immediately) {
        int attempts;
        synchronized (this) {
            attempts = s.attempts;
        }
        if (attempts >= options.maxAttempts()) {
            finish(s, failure);
            return;
        }
        long delay = immediately ? 0 : backoffNanos(attempts);
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

    /** Full jitter: uniform in [0, min(max, first × 2^(n−1))]. */
    private long backoffNanos(int attemptsSoFar) {
        long first = options.backoff().toNanos();
        if (first == 0) {
            return 0;
        }
        long cap = Math.min(options.maxBackoff().toNanos(), first << Math.min(20, attemptsSoFar - 1));
        return ThreadLocalRandom.current().nextLong(cap + 1);
    }

    private RaidaOutcome failure(Slot s, RaidaOutcome.Kind kind, String detail) {
        Transport t;
        int attempts;
        synchronized (this) {
            t = s.transport;
            attempts = s.attempts;
        }
        return new RaidaOutcome(s.id, kind, null, t, attempts, elapsed(), detail);
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Records the final outcome of a slot (once), tells the listener, and completes when decided. */
    private void finish(Slot s, RaidaOutcome o) {
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
                for (Slot x : slots) {
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
            for (Slot s : slots) {
                // a slot another thread is stopping right now ends as that stop says, not as "pending"
                list.add(s.outcome != null ? s.outcome
                        : s.stopped ? new RaidaOutcome(s.id, s.stopKind, null, s.transport, s.attempts, elapsed(),
                                s.stopDetail)
                        : new RaidaOutcome(s.id, RaidaOutcome.Kind.PENDING, null, s.transport, s.attempts, elapsed(),
                                "still running when the result was decided"));
            }
        }
        result.complete(new ClusterReply(list, elapsed(), early, settled));
    }

    private void settle() {
        List<RaidaOutcome> list = new ArrayList<>(slots.length);
        synchronized (this) {
            for (Slot s : slots) {
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
        for (Slot s : slots) {
            Future<?> current;
            synchronized (this) {
                if (s.outcome != null || s.stopped) {
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

    static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    static boolean isRefused(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ConnectException || c instanceof PortUnreachableException) {
                return true;
            }
            String m = c.getMessage();
            if (m != null && m.toLowerCase(java.util.Locale.ROOT).contains("refused")) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }
}
