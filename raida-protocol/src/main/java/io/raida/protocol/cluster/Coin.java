package io.raida.protocol.cluster;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One coin as a client holds it: denomination, serial number, the AN it holds for each of the 25
 * RAIDA and its last POWN string. Immutable (ANs are copied in and out). Holds secrets:
 * {@link #toString()} shows no AN.
 */
public final class Coin {
    private final int denomination;
    private final long serialNumber;
    private final byte[][] ans;
    private final PownString pown;

    private Coin(int denomination, long serialNumber, byte[][] ans, PownString pown) {
        this.denomination = denomination;
        this.serialNumber = serialNumber;
        this.ans = ans;
        this.pown = pown;
    }

    /**
     * A coin.
     *
     * @param denomination signed byte, −8..6 in use
     * @param serialNumber u32
     * @param ans          25 ANs of 16 bytes, RAIDA 0 first (copied)
     * @param pown         last POWN string ({@link PownString#untried()} if none)
     * @return the coin
     */
    public static Coin of(int denomination, long serialNumber, List<byte[]> ans, PownString pown) {
        if (denomination < -128 || denomination > 127) {
            throw new IllegalArgumentException("denomination is a signed byte, got " + denomination);
        }
        if (serialNumber < 0 || serialNumber > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("serial number is 32 bits unsigned, got " + serialNumber);
        }
        return new Coin(denomination, serialNumber, copyAns(ans), Objects.requireNonNull(pown, "pown"));
    }

    /**
     * A coin with an untried POWN string.
     *
     * @param denomination signed byte, -8..6 in use
     * @param serialNumber u32
     * @param ans 25 ANs of 16 bytes, RAIDA 0 first (copied)
     * @return the coin
     */
    public static Coin of(int denomination, long serialNumber, List<byte[]> ans) {
        return of(denomination, serialNumber, ans, PownString.untried());
    }

    static byte[][] copyAns(List<byte[]> ans) {
        Objects.requireNonNull(ans, "ans");
        if (ans.size() != RaidaNetwork.SIZE) {
            throw new IllegalArgumentException("a coin needs " + RaidaNetwork.SIZE + " ANs (one per RAIDA), got "
                    + ans.size());
        }
        byte[][] c = new byte[RaidaNetwork.SIZE][];
        for (int i = 0; i < c.length; i++) {
            byte[] an = ans.get(i);
            if (an == null || an.length != 16) {
                throw new IllegalArgumentException("the AN for RAIDA " + i + " must be 16 bytes, got "
                        + (an == null ? "null" : an.length));
            }
            c[i] = an.clone();
        }
        return c;
    }

    /**
     * Denomination (signed byte).
     *
     * @return the denomination code
     */
    public int denomination() {
        return denomination;
    }

    /**
     * Serial number (u32).
     *
     * @return the serial number
     */
    public long serialNumber() {
        return serialNumber;
    }

    /**
     * A copy of the AN held for RAIDA {@code raidaId}.
     *
     * @param raidaId the RAIDA id, 0..24
     * @return a new 16-byte array
     */
    public byte[] an(int raidaId) {
        return ans[io.raida.protocol.RaidaIds.requireRaidaId(raidaId)].clone();
    }

    /**
     * Copies of the 25 ANs.
     *
     * @return new arrays, RAIDA 0 first
     */
    public List<byte[]> ans() {
        List<byte[]> l = new ArrayList<>(RaidaNetwork.SIZE);
        for (byte[] an : ans) {
            l.add(an.clone());
        }
        return l;
    }

    /**
     * The last POWN string.
     *
     * @return the POWN string, never {@code null}
     */
    public PownString pown() {
        return pown;
    }

    /**
     * This coin with another POWN string.
     *
     * @param newPown the new POWN string
     * @return a new coin
     */
    public Coin withPown(PownString newPown) {
        return new Coin(denomination, serialNumber, ans, Objects.requireNonNull(newPown, "pown"));
    }

    /**
     * This coin with other ANs (copied).
     *
     * @param newAns 25 ANs of 16 bytes, RAIDA 0 first
     * @return a new coin
     */
    public Coin withAns(List<byte[]> newAns) {
        return new Coin(denomination, serialNumber, copyAns(newAns), pown);
    }

    /**
     * The grade of the POWN string.
     *
     * @return the grade under the standard policy
     */
    public Grade grade() {
        return pown.grade();
    }

    /** Internal read-only access without copying. */
    byte[] anRef(int raidaId) {
        return ans[raidaId];
    }

    /** Same denomination, serial number, POWN string and ANs (constant-time AN comparison). */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Coin c) || c.denomination != denomination || c.serialNumber != serialNumber
                || !c.pown.equals(pown)) {
            return false;
        }
        boolean same = true;
        for (int i = 0; i < ans.length; i++) {
            same &= MessageDigest.isEqual(ans[i], c.ans[i]);
        }
        return same;
    }

    @Override
    public int hashCode() {
        return Objects.hash(denomination, serialNumber, pown);
    }

    @Override
    public String toString() {
        return "Coin[den=" + denomination + ", sn=" + serialNumber + ", pown=" + pown + "]";
    }
}
