package io.raida.examples;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.ResponseParser;
import io.raida.protocol.crypto.KeystreamMode;
import io.raida.protocol.EncryptionType;
import io.raida.protocol.StatusCode;
import io.raida.protocol.Transport;
import io.raida.protocol.transport.RaidaClient;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Makes the calls of a {@link ClientSettings} one after another and prints a line per call. */
final class CallRunner {

    private CallRunner() {
    }

    static List<CallResult> run(RaidaClient client, InetSocketAddress raida, ClientSettings settings,
                                PrintStream out) {
        ClientSettings s = calibrated(client, raida, settings, out);
        List<CallResult> results = new ArrayList<>();
        for (Transport protocol : s.protocols()) {
            for (Call call : s.calls()) {
                CallResult r = call(client, raida, s, call, protocol);
                out.printf("  %-3s  %-14s  %-4s  %-46s %9.1f ms%n", protocol.name().toLowerCase(java.util.Locale.ROOT),
                        call.label(), r.ok() ? "ok" : "FAIL", r.outcome(), r.roundTripNanos() / 1e6);
                results.add(r);
            }
        }
        return results;
    }

    /**
     * With {@code --keystream auto} (the default) and a type 1 call to make: one type 1 version call
     * learns where this server's reply keystream starts (auth.md §4, D-1), and the line says which.
     * If it cannot be learned, the calls go ahead with CONTINUE and the line says why.
     */
    static ClientSettings calibrated(RaidaClient client, InetSocketAddress raida, ClientSettings s, PrintStream out) {
        if (s.keystream() != null) {
            return s;
        }
        boolean typeOne = s.calls().stream().anyMatch(c -> c.type() == EncryptionType.AES128_COIN);
        if (!typeOne) {
            return s.withKeystream(KeystreamMode.CONTINUE);
        }
        ClientRequest version = new Call(Call.VERSION, EncryptionType.AES128_COIN)
                .request(s.raidaId(), s.coinId(), s.coin(), KeystreamMode.CONTINUE);
        Transport protocol = s.protocols().get(0);
        try {
            byte[] reply = client.exchange(raida, version.frame(), protocol, s.timeout())
                    .get(s.timeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
            KeystreamMode mode = ResponseParser.calibrate(version, reply);
            out.printf("  keystream: %s (learned from a type 1 version call over %s)%n",
                    mode.name().toLowerCase(java.util.Locale.ROOT), protocol.name().toLowerCase(java.util.Locale.ROOT));
            return s.withKeystream(mode);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = (e instanceof ExecutionException || e instanceof CompletionException)
                    && e.getCause() != null ? e.getCause() : e;
            out.printf("  keystream: continue (could not learn it: %s)%n", cause.getMessage());
            return s.withKeystream(KeystreamMode.CONTINUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return s.withKeystream(KeystreamMode.CONTINUE);
        }
    }

    static CallResult call(RaidaClient client, InetSocketAddress raida, ClientSettings s, Call call,
                           Transport protocol) {
        ClientRequest request = call.request(s.raidaId(), s.coinId(), s.coin(), s.keystream());
        long start = System.nanoTime();
        try {
            // the client enforces the timeout; the extra second only guards against a client that does not
            RaidaResponse response = client.send(raida, request, protocol, s.timeout())
                    .get(s.timeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
            long took = System.nanoTime() - start;
            String problem = call.problem(response);
            String outcome = StatusCode.describe(response.status()) + ", " + Call.describePayload(response)
                    + (problem == null ? "" : " (" + problem + ")");
            return new CallResult(call, protocol, problem == null, outcome, took);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new CallResult(call, protocol, false, cause.getClass().getSimpleName() + ": " + cause.getMessage(),
                    System.nanoTime() - start);
        } catch (TimeoutException e) {
            return new CallResult(call, protocol, false, "no answer within " + s.timeout().toMillis() + " ms",
                    System.nanoTime() - start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CallResult(call, protocol, false, "interrupted", System.nanoTime() - start);
        }
    }

    /** Prints "N of M calls succeeded" (or which failed) and returns whether all did. */
    static boolean summarize(String label, List<CallResult> results, PrintStream out) {
        long ok = results.stream().filter(CallResult::ok).count();
        if (ok == results.size() && !results.isEmpty()) {
            out.printf("%s: all %d calls succeeded%n", label, results.size());
            return true;
        }
        out.printf("%s: %d of %d calls FAILED%n", label, results.size() - ok, results.size());
        return false;
    }
}
