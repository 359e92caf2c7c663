package io.raida.examples;

import io.raida.protocol.server.InMemoryCoinKeyResolver;
import java.util.HexFormat;
import java.util.List;

/**
 * The embedded default configuration shared by the example server and client: RAIDA 0, coin id 6,
 * and three demo coins whose ANs are published here. They are test keys, worthless by design: a
 * real server takes its ANs from its coin store, never from source code.
 */
public final class DemoCoins {
    /** RAIDA id of the embedded default server. */
    public static final int RAIDA_ID = 0;
    /** Coin id of the embedded default server (CloudCoin = 6). */
    public static final int COIN_ID = 6;

    /** A demo coin: denomination code, serial number and its 16-byte AN. */
    public record Coin(int denomination, long serialNumber, String anHex) {
        /** The AN as bytes (a fresh copy). */
        public byte[] an() {
            return HexFormat.of().parseHex(anHex);
        }

        @Override
        public String toString() {
            return "coin " + denomination + ":" + serialNumber;
        }
    }

    /** The coins every example server knows; the client uses the first by default. */
    public static final List<Coin> COINS = List.of(
            new Coin(1, 1_001, "b10d178eae31082c9117440d207fc57f"),
            new Coin(1, 1_002, "9a3089bca2f1bdb5990828b7117c1aa0"),
            new Coin(3, 20_000, "cb36f0d90007aded303be1d6e4349efa"));

    /**
     * The coins the {@code cc2-simulator} subcommand holds: shard 2 (CC2) coins, denomination code 0
     * (CC2 does not carry one), serial numbers beyond RAIDA X's 1 024 000 to show CC2's 24-bit range.
     * Published test values like {@link #COINS}.
     */
    public static final List<Coin> SHARD2_COINS = List.of(
            new Coin(0, 2_000_001, "051e051dcf569951285ae092b8b3a1fa"),
            new Coin(0, 2_000_002, "41aceda97bb27dd4028701de721b2c86"),
            new Coin(0, 16_000_000, "025b5349e607de219b0c4457cfaf3c2a"));

    private DemoCoins() {
    }

    /** The coin the client encrypts with unless told otherwise. */
    public static Coin defaultCoin() {
        return COINS.get(0);
    }

    /** A fresh resolver holding every demo coin. */
    public static InMemoryCoinKeyResolver resolver() {
        InMemoryCoinKeyResolver r = new InMemoryCoinKeyResolver();
        for (Coin c : COINS) {
            r.putCoin(c.denomination(), c.serialNumber(), c.an());
        }
        return r;
    }
}
