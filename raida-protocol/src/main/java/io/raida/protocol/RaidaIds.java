package io.raida.protocol;

/** The identifiers every RAIDA configuration checks: RAIDA ids 0..24 and 16-bit coin ids. */
public final class RaidaIds {
    /** Servers in a RAIDA network. */
    public static final int RAIDA_COUNT = 25;

    private RaidaIds() {
    }

    /**
     * Returns {@code raidaId} if it is 0..24.
     *
     * @param raidaId the id to check
     * @return {@code raidaId}
     * @throws IllegalArgumentException if it is not 0..24
     */
    public static int requireRaidaId(int raidaId) {
        if (raidaId < 0 || raidaId >= RAIDA_COUNT) {
            throw new IllegalArgumentException("raida id must be 0..24, got " + raidaId);
        }
        return raidaId;
    }

    /**
     * Returns {@code coinId} if it fits the 16-bit header field (bytes 6..7).
     *
     * @param coinId the id to check
     * @return {@code coinId}
     * @throws IllegalArgumentException if it is not 0..65535
     */
    public static int requireCoinId(int coinId) {
        if (coinId < 0 || coinId > 0xFFFF) {
            throw new IllegalArgumentException("coin id must be 0..65535, got " + coinId);
        }
        return coinId;
    }
}
