package io.raida.examples;

import io.raida.legacy.Cc2Coin;
import io.raida.protocol.EncryptionType;
import io.raida.protocol.Transport;
import io.raida.protocol.crypto.KeystreamMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
 * @param keystream where a type 1 reply's keystream starts (reference servers on non-Intel CPUs restart it);
 *                  null: learn it with one type 1 version call before the first type 1 call
 * @param timeout   per-call deadline
 * @param shard2Coins with {@code --detect-shard2}: the coins of a shard-2 detect (group 1, code 10), sent
 *                  instead of echo and version once per protocol and type; empty otherwise
 */
record ClientSettings(String transport, String host, int port, int raidaId, int coinId, List<Transport> protocols,
                      List<Call> calls, DemoCoins.Coin coin, KeystreamMode keystream, Duration timeout,
                      List<Cc2Coin> shard2Coins) {

    /** These settings with the keystream mode decided. */
    ClientSettings withKeystream(KeystreamMode mode) {
        return new ClientSettings(transport, host, port, raidaId, coinId, protocols, calls, coin, mode, timeout,
                shard2Coins);
    }

    /** The settings of {@code client} with these option words (no environment). */
    static ClientSettings parse(List<String> words) throws UsageException {
        ClientCli c = new ClientCli(Cli.wordsOnly());
        Main.parseOnly(c, words);
        return c.settings();
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
