package io.raida.examples;

import io.raida.legacy.Cc2Coin;
import io.raida.protocol.EncryptionType;
import io.raida.protocol.Transport;
import io.raida.protocol.crypto.KeystreamMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the {@code client} subcommand runs. Without options it talks to the example server's default
 * (RAIDA 0 on 127.0.0.1:50000) over UDP and TCP, with the first demo coin as key.
 *
 * @param transport client implementation, "nio" or "netty"
 * @param host      server address
 * @param port      server port
 * @param raidaId   the RAIDA id the server expects
 * @param coinId    coin id put in the header
 * @param protocols UDP and/or TCP, in that order
 * @param calls     the calls to make on each protocol
 * @param coin      the coin whose AN keys types 1 and 4
 * @param keystream where a type 1 reply's keystream starts (reference servers on non-Intel CPUs restart it)
 * @param timeout   per-call deadline
 * @param shard2Coins with {@code --detect-shard2}: the coins of a shard-2 detect (group 1, code 10), sent
 *                  instead of echo and version once per protocol and type; empty otherwise
 */
record ClientSettings(String transport, String host, int port, int raidaId, int coinId, List<Transport> protocols,
                      List<Call> calls, DemoCoins.Coin coin, KeystreamMode keystream, Duration timeout,
                      List<Cc2Coin> shard2Coins) {

    static final Set<String> OPTIONS = Set.of("transport", "host", "port", "raida-id", "coin-id", "protocol",
            "types", "denomination", "serial-number", "an", "keystream", "timeout-ms", "detect-shard2");

    static ClientSettings parse(List<String> words) throws UsageException {
        Args a = Args.parse(words, OPTIONS);
        String transport = a.choice("transport", "nio", "nio", "netty");
        String host = a.string("host", "127.0.0.1");
        int raidaId = a.integer("raida-id", DemoCoins.RAIDA_ID, 0, 24);
        int port = a.integer("port", ServerSettings.conventionalPort(raidaId), 1, 65_535);
        int coinId = a.integer("coin-id", DemoCoins.COIN_ID, 0, 65_535);
        List<Transport> protocols = protocols(a.choice("protocol", "both", "udp", "tcp", "both"));
        List<Cc2Coin> shard2 = a.has("detect-shard2") ? Shard2Detect.parseCoins(a.string("detect-shard2", null))
                : List.of();
        // one detect per protocol and type: type 0 unless --types asks for 1/4 (encrypted with the key coin)
        List<Call> calls = calls(a.string("types", shard2.isEmpty() ? "0,1,4" : "0"));
        DemoCoins.Coin coin = coin(a);
        KeystreamMode keystream = KeystreamMode.valueOf(
                a.choice("keystream", "continue", "continue", "restart").toUpperCase(Locale.ROOT));
        int timeoutMs = a.integer("timeout-ms", 3_000, 1, 600_000);
        return new ClientSettings(transport, host, port, raidaId, coinId, protocols, calls, coin, keystream,
                Duration.ofMillis(timeoutMs), shard2);
    }

    static List<Transport> protocols(String choice) {
        switch (choice) {
            case "udp":
                return List.of(Transport.UDP);
            case "tcp":
                return List.of(Transport.TCP);
            default:
                return List.of(Transport.UDP, Transport.TCP);
        }
    }

    /** Echo and version for every listed type ("0,1,4"). */
    static List<Call> calls(String types) throws UsageException {
        List<Call> calls = new ArrayList<>();
        List<EncryptionType> seen = new ArrayList<>();
        for (String t : types.split(",", -1)) {
            EncryptionType type;
            switch (t.trim()) {
                case "0":
                    type = EncryptionType.NONE;
                    break;
                case "1":
                    type = EncryptionType.AES128_COIN;
                    break;
                case "4":
                    type = EncryptionType.AES256_ONE_COIN;
                    break;
                default:
                    throw new UsageException("--types lists encryption types 0, 1 and 4 separated by commas, got \""
                            + types + "\"");
            }
            if (seen.contains(type)) {
                throw new UsageException("--types lists type " + type.code() + " twice");
            }
            seen.add(type);
            calls.add(new Call(Call.ECHO, type));
            calls.add(new Call(Call.VERSION, type));
        }
        return List.copyOf(calls);
    }

    /** --denomination, --serial-number and --an together, or none of them (the first demo coin). */
    private static DemoCoins.Coin coin(Args a) throws UsageException {
        int given = (a.has("denomination") ? 1 : 0) + (a.has("serial-number") ? 1 : 0) + (a.has("an") ? 1 : 0);
        if (given == 0) {
            return DemoCoins.defaultCoin();
        }
        if (given != 3) {
            throw new UsageException("give --denomination, --serial-number and --an together (or none for the demo coin)");
        }
        int den = a.integer("denomination", 0, -8, 6);
        long sn = a.longValue("serial-number", 0, 0, 1_023_999);
        byte[] an = a.hex("an", 16);
        return new DemoCoins.Coin(den, sn, java.util.HexFormat.of().formatHex(an));
    }

    /** The encryption types of {@link #calls()}, in order, each once. */
    List<EncryptionType> types() {
        return calls.stream().map(Call::type).distinct().toList();
    }

    @Override
    public String toString() {
        return "ClientSettings[" + transport + " -> " + host + ":" + port + ", raida " + raidaId + ", coin id " + coinId
                + ", " + protocols + ", " + calls.size() + " calls, " + coin + ", " + keystream + ", timeout "
                + timeout.toMillis() + " ms" + (shard2Coins.isEmpty() ? "" : ", shard-2 detect of "
                + shard2Coins.size() + " coins") + "]";
    }
}
