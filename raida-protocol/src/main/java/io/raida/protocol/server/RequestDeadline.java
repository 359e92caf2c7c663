package io.raida.protocol.server;

import java.util.concurrent.ScheduledFuture;

/**
 * One dispatched request's race between its worker and its deadline. Fresh per request, so a
 * timer firing late never touches the next request of a pooled exchange. The reply sent by the
 * deadline is sent under this lock; the worker takes it before it answers or releases the
 * exchange, so the exchange cannot be reused under the timer's feet.
 */
final class RequestDeadline implements Runnable {
    private static final int QUEUED = 0;
    private static final int RUNNING = 1;
    private static final int DONE = 2;
    private static final int EXPIRED = 3;
    private static final int OVERRAN = 4;

    final ServerExchange exchange;
    final Bulkhead bulkhead;
    final long due;
    private int state = QUEUED;
    private ScheduledFuture<?> timer;

    RequestDeadline(ServerExchange exchange, Bulkhead bulkhead, long due) {
        this.exchange = exchange;
        this.bulkhead = bulkhead;
        this.due = due;
    }

    /** Keeps the timer so it is cancelled when the worker answers (or cancels it if that already happened). */
    synchronized void arm(ScheduledFuture<?> f) {
        if (state == DONE) {
            if (f != null) {
                f.cancel(false);
            }
        } else {
            timer = f;
        }
    }

    /** Worker, peer gone: true if the request is still the worker's to end. */
    synchronized boolean abandon() {
        if (state != QUEUED) {
            return false;
        }
        state = DONE;
        bulkhead.skipped();
        cancel();
        return true;
    }

    /** Worker: true to run the handler; false if the deadline answered (or passes now and is answered here). */
    synchronized boolean start() {
        if (state != QUEUED) {
            return false;
        }
        if (System.nanoTime() - due >= 0) {
            state = EXPIRED;
            bulkhead.expired();
            cancel();
            exchange.answerAtDeadline();
            return false;
        }
        state = RUNNING;
        bulkhead.started();
        return true;
    }

    /** Worker, handler returned: true if the worker answers, false if the deadline already did. */
    synchronized boolean finish() {
        if (state == RUNNING) {
            state = DONE;
            cancel();
        }
        return state == DONE;
    }

    /** The deadline timer. */
    @Override
    public synchronized void run() {
        if (state == QUEUED) {
            state = EXPIRED;
            bulkhead.expired();
        } else if (state == RUNNING) {
            state = OVERRAN;
            bulkhead.overran();
        } else {
            return;
        }
        timer = null;
        exchange.answerAtDeadline();
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
