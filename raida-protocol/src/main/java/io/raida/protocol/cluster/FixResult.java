package io.raida.protocol.cluster;

import java.util.List;
import java.util.Objects;

/**
 * The result of one fix (2/80) at one RAIDA: per coin whether that RAIDA re-keyed it. When it did,
 * the coin's AN there is {@link #expectedAn(int)}, computed locally from the PG (healing.md §2).
 * A lost reply (timeout, broken reply, connection lost after sending) leaves every coin
 * {@link Fixed#UNKNOWN}: the RAIDA may have fixed them; find with the expected AN as PAN tells.
 */
public final class FixResult {

    /** Whether a coin was fixed. */
    public enum Fixed {
        /** The RAIDA re-keyed the coin (241, or its bit in 243). */
        YES,
        /** The RAIDA answered and did not re-key it (242, its bit clear in 243, an error status, refused). */
        NO,
        /** No usable answer after the request may have arrived. */
        UNKNOWN
    }

    private final int raidaId;
    private final List<Coin> coins;
    private final byte[] pg;
    private final RaidaOutcome outcome;
    private final List<Fixed> fixed;

    FixResult(int raidaId, List<Coin> coins, byte[] pg, RaidaOutcome outcome, List<Fixed> fixed) {
        this.raidaId = raidaId;
        this.coins = List.copyOf(coins);
        this.pg = pg.clone();
        this.outcome = Objects.requireNonNull(outcome, "outcome");
        this.fixed = List.copyOf(fixed);
    }

    /**
     * The fixing RAIDA.
     *
     * @return the RAIDA id, 0..24
     */
    public int raidaId() {
        return raidaId;
    }

    /**
     * The coins sent, in request order.
     *
     * @return the coins, in request order
     */
    public List<Coin> coins() {
        return coins;
    }

    /**
     * What the RAIDA did (status, or how the request failed, with its latency).
     *
     * @return the outcome
     */
    public RaidaOutcome outcome() {
        return outcome;
    }

    /**
     * Per coin, in request order.
     *
     * @return one entry per coin
     */
    public List<Fixed> fixed() {
        return fixed;
    }

    /**
     * Per coin {@code coin} (index): fixed or not.
     *
     * @param coin the coin's index in the request
     * @return the coin's entry
     */
    public Fixed fixed(int coin) {
        return fixed.get(coin);
    }

    /**
     * The AN the RAIDA gives coin {@code coin} (index) when it fixes it: {@code MD5(id ‖ den ‖ SN ‖ PG)}.
     *
     * @param coin the coin's index in the request
     * @return a new 16-byte array
     */
    public byte[] expectedAn(int coin) {
        Coin c = coins.get(coin);
        return HealingKeys.newAn(raidaId, c.denomination(), c.serialNumber(), pg);
    }

    /**
     * A copy of the PG sent.
     *
     * @return a new array
     */
    public byte[] pg() {
        return pg.clone();
    }

    @Override
    public String toString() {
        long yes = fixed.stream().filter(f -> f == Fixed.YES).count();
        long unknown = fixed.stream().filter(f -> f == Fixed.UNKNOWN).count();
        return "FixResult[RAIDA " + raidaId + ", " + coins.size() + " coins, " + yes + " fixed, " + unknown
                + " unknown, " + outcome + "]";
    }
}
