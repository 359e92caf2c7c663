package io.raida.legacy;

import io.raida.protocol.StatusCode;
import java.util.Arrays;

/**
 * One coin of a CC2 detect: a serial number (CC2 carries 24 bits) and its 16-byte AN. Validated on
 * construction: an SN of 2^24 or more is refused rather than truncated (D-8). Holds an AN: its
 * {@link #toString()} shows only the SN.
 *
 * @param sn serial number, 0..16 777 215
 * @param an authenticity number, 16 bytes (copied)
 */
public record Cc2Coin(long sn, byte[] an) {
    /** Largest serial number CC2 can carry (24 bits). */
    public static final long MAX_SN = 0xFF_FFFFL;
    /** AN length. */
    public static final int AN_SIZE = 16;

    /**
     * @param sn serial number, 0..{@link #MAX_SN}
     * @param an authenticity number, {@link #AN_SIZE} bytes (copied)
     * @throws Cc2RequestException if the SN does not fit 24 bits (status 40) or the AN is not 16 bytes
     */
    public Cc2Coin {
        checkSn(sn);
        an = checkAn(an).clone();
    }

    /**
     * The authenticity number.
     *
     * @return a fresh copy of the 16 AN bytes (callers cannot change the coin through it)
     */
    @Override
    public byte[] an() {
        return an.clone();
    }

    /** Copies the AN into {@code dst} at {@code off} without an intermediate copy. */
    void copyAnTo(byte[] dst, int off) {
        System.arraycopy(an, 0, dst, off, AN_SIZE);
    }

    static void checkSn(long sn) {
        if (sn < 0 || sn > MAX_SN) {
            throw new Cc2RequestException("serial number " + sn + " does not fit the 24 bits CC2 carries (0.."
                    + MAX_SN + "); refusing instead of truncating it", StatusCode.ERROR_INVALID_SN_OR_DENOMINATION);
        }
    }

    static byte[] checkAn(byte[] an) {
        if (an == null || an.length != AN_SIZE) {
            throw new Cc2RequestException("an AN is 16 bytes, got " + (an == null ? "null" : an.length + " bytes"),
                    StatusCode.ERROR_INVALID_PARAMETER);
        }
        return an;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cc2Coin c && c.sn == sn && Arrays.equals(c.an, an);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sn) * 31 + Arrays.hashCode(an);
    }

    @Override
    public String toString() {
        return "Cc2Coin[sn=" + sn + "]";
    }
}
