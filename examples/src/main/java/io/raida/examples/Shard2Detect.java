package io.raida.examples;

import io.raida.legacy.Cc2Coin;
import io.raida.legacy.Cc2DetectHandler;
import io.raida.protocol.crypto.KeystreamMode;
import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.EncryptionType;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.RequestHeader;
import io.raida.protocol.StatusCode;
import io.raida.protocol.Transport;
import io.raida.protocol.transport.RaidaClient;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code client --detect-shard2 SN:AN,...}: one RAIDA X detect (group 1, code 10) with header byte 3
 * (shard) = 2, which a server started with {@code --cc2-socket} answers from the CC2 back end.
 * Payload {@code n × (den(1) || SN(4) || AN(16))} with denomination 0: CC2 coins carry none, the
 * server checks it is a valid code and does not forward it. Prints the status and, for 241/242/243,
 * pass or fail per coin (243: bit {@code i} of the LSB-first bitmap is coin {@code i}).
 */
final class Shard2Detect {
    /** The denomination byte sent for every coin. */
    static final int DENOMINATION = 0;
    /**
     * Most coins one detect may carry: the payload must fit the 16-bit body size with the largest
     * overhead of the types the client sends (type 4: 32-byte MAC and terminator).
     */
    static final int MAX_COINS = (RequestHeader.MAX_BODY_SIZE - 64) / Cc2DetectHandler.RECORD_SIZE;

    private Shard2Detect() {
    }

    /**
     * Parses {@code SN:ANHEX[,SN:ANHEX...]}: SN 0..16 777 215 (CC2's 24 bits), AN 32 hex digits.
     * Messages name the entry, never its AN.
     */
    static List<Cc2Coin> parseCoins(String value) throws UsageException {
        String[] entries = value.split(",", -1);
        if (entries.length > MAX_COINS) {
            throw new UsageException("--detect-shard2 lists at most " + MAX_COINS + " coins, got " + entries.length);
        }
        List<Cc2Coin> coins = new ArrayList<>(entries.length);
        for (int i = 0; i < entries.length; i++) {
            String e = entries[i].trim();
            String where = "--detect-shard2 entry " + (i + 1);
            int colon = e.indexOf(':');
            if (colon <= 0 || colon == e.length() - 1) {
                throw new UsageException(where + " must be SN:AN (serial number, colon, 32 hex digits)");
            }
            long sn;
            try {
                sn = Long.parseLong(e.substring(0, colon).trim());
            } catch (NumberFormatException x) {
                throw new UsageException(where + ": the serial number must be a whole number, got \""
                        + e.substring(0, colon).trim() + "\"");
            }
            if (sn < 0 || sn > Cc2Coin.MAX_SN) {
                throw new UsageException(where + ": the serial number must be 0.." + Cc2Coin.MAX_SN
                        + " (CC2 carries 24 bits), got " + sn);
            }
            // key material: the value is never echoed
            byte[] an = Check.hex(where + ": the AN", e.substring(colon + 1), Cc2Coin.AN_SIZE);
            coins.add(new Cc2Coin(sn, an));
        }
        return List.copyOf(coins);
    }

    /** The detect payload: {@code den || SN (4 bytes, big-endian) || AN} per coin. */
    static byte[] payload(List<Cc2Coin> coins) {
        byte[] p = new byte[coins.size() * Cc2DetectHandler.RECORD_SIZE];
        for (int i = 0; i < coins.size(); i++) {
            int off = i * Cc2DetectHandler.RECORD_SIZE;
            long sn = coins.get(i).sn();
            p[off] = (byte) DENOMINATION;
            p[off + 1] = (byte) (sn >>> 24);
            p[off + 2] = (byte) (sn >>> 16);
            p[off + 3] = (byte) (sn >>> 8);
            p[off + 4] = (byte) sn;
            System.arraycopy(coins.get(i).an(), 0, p, off + 5, Cc2Coin.AN_SIZE);
        }
        return p;
    }

    static ClientRequest request(ClientSettings s, EncryptionType type) {
        RequestBuilder b = RequestBuilder.command(s.raidaId(), Cc2DetectHandler.GROUP, Cc2DetectHandler.CODE)
                .coinId(s.coinId()).keystream(s.keystream() != null ? s.keystream() : KeystreamMode.CONTINUE)
                .shard(Cc2DetectHandler.SHARD)
                .payload(payload(s.shard2Coins()));
        return Call.withType(b, type, s.coin()).build();
    }

    /**
     * Pass (true) or fail per coin for a 241/242/243 answer to a detect of {@code n} coins.
     *
     * @throws IllegalArgumentException if the status is not one of them or the payload does not fit it
     */
    static boolean[] verdicts(RaidaResponse r, int n) {
        byte[] p = r.payload();
        boolean[] pass = new boolean[n];
        if (r.status() == StatusCode.STATUS_ALL_PASS.code() || r.status() == StatusCode.STATUS_ALL_FAIL.code()) {
            if (p.length != 0) {
                throw new IllegalArgumentException(StatusCode.describe(r.status()) + " with " + p.length
                        + " payload bytes, expected none");
            }
            java.util.Arrays.fill(pass, r.status() == StatusCode.STATUS_ALL_PASS.code());
            return pass;
        }
        if (r.status() != StatusCode.STATUS_MIXED.code()) {
            throw new IllegalArgumentException(StatusCode.describe(r.status()) + " is not a detect result");
        }
        int expected = (n + 7) / 8;
        if (p.length != expected) {
            throw new IllegalArgumentException("bitmap of " + p.length + " bytes for " + n + " coins, expected "
                    + expected);
        }
        for (int i = 0; i < n; i++) {
            pass[i] = (p[i >>> 3] & (1 << (i & 7))) != 0;
        }
        return pass;
    }

    /** One detect per protocol and type; prints the status line and the verdict per coin. */
    static List<CallResult> run(RaidaClient client, InetSocketAddress raida, ClientSettings s, PrintStream out) {
        List<CallResult> results = new ArrayList<>();
        int n = s.shard2Coins().size();
        for (Transport protocol : s.protocols()) {
            for (EncryptionType type : s.types()) {
                Call call = new Call(Call.DETECT, type);
                ClientRequest request = request(s, type);
                long start = System.nanoTime();
                boolean[] pass = null;
                String outcome;
                try {
                    RaidaResponse r = client.send(raida, request, protocol, s.timeout())
                            .get(s.timeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
                    try {
                        pass = verdicts(r, n);
                        int passed = 0;
                        for (boolean b : pass) {
                            passed += b ? 1 : 0;
                        }
                        outcome = StatusCode.describe(r.status()) + ", " + passed + " of " + n + " coins pass";
                    } catch (IllegalArgumentException e) {
                        outcome = e.getMessage();
                    }
                } catch (ExecutionException | CompletionException e) {
                    Throwable cause = e.getCause() == null ? e : e.getCause();
                    outcome = cause.getClass().getSimpleName() + ": " + cause.getMessage();
                } catch (TimeoutException e) {
                    outcome = "no answer within " + s.timeout().toMillis() + " ms";
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    outcome = "interrupted";
                }
                CallResult result = new CallResult(call, protocol, pass != null, outcome, System.nanoTime() - start);
                out.printf("  %-3s  %-14s  %-4s  %-46s %9.1f ms%n", protocol.name().toLowerCase(Locale.ROOT),
                        call.label(), result.ok() ? "ok" : "FAIL", outcome, result.roundTripNanos() / 1e6);
                if (pass != null) {
                    for (int i = 0; i < n; i++) {
                        out.printf("       coin %d  SN %d  %s%n", i + 1, s.shard2Coins().get(i).sn(),
                                pass[i] ? "pass" : "fail");
                    }
                }
                results.add(result);
            }
        }
        return results;
    }
}
