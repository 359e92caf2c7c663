package io.raida.protocol.cluster;

import io.raida.protocol.Denominations;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The AN a RAIDA gives a coin it fixes (healing.md §2, 2/80 step 4):
 * {@code MD5(id(1) ‖ den(1) ‖ SN(4) ‖ PG(16))}, with {@code id} the fixing RAIDA's id, the signed
 * denomination as one byte and the serial number big-endian. The server computes it when it fixes a
 * coin; the client computes the same value to learn the coin's new AN without it ever travelling.
 */
public final class HealingKeys {
    /** Bytes of a PG (pseudo-random generator seed chosen by the client). */
    public static final int PG_SIZE = 16;

    private HealingKeys() {
    }

    /**
     * The new AN of coin {@code (denomination, serialNumber)} fixed at RAIDA {@code raidaId} with {@code pg}.
     *
     * @param raidaId      the fixing RAIDA, 0..24
     * @param denomination -8..6
     * @param serialNumber 0..1 023 999
     * @param pg           the 16-byte PG of the fix request
     * @return 16 bytes
     * @throws IllegalArgumentException on an out-of-range argument or a PG that is not 16 bytes
     */
    public static byte[] newAn(int raidaId, int denomination, long serialNumber, byte[] pg) {
        if (raidaId < 0 || raidaId > 24) {
            throw new IllegalArgumentException("RAIDA id must be 0..24, got " + raidaId);
        }
        if (!Denominations.isValid(denomination)) {
            throw new IllegalArgumentException("denomination must be -8..6, got " + denomination);
        }
        if (!Denominations.isValidSerial(serialNumber)) {
            throw new IllegalArgumentException("serial number must be 0.." + (Denominations.SERIALS - 1) + ", got "
                    + serialNumber);
        }
        if (pg == null || pg.length != PG_SIZE) {
            throw new IllegalArgumentException("a PG is " + PG_SIZE + " bytes, got " + (pg == null ? "null" : pg.length));
        }
        byte[] in = new byte[6 + PG_SIZE];
        in[0] = (byte) raidaId;
        in[1] = (byte) denomination;
        in[2] = (byte) (serialNumber >>> 24);
        in[3] = (byte) (serialNumber >>> 16);
        in[4] = (byte) (serialNumber >>> 8);
        in[5] = (byte) serialNumber;
        System.arraycopy(pg, 0, in, 6, PG_SIZE);
        try {
            return MessageDigest.getInstance("MD5").digest(in);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by every Java runtime", e);
        }
    }
}
