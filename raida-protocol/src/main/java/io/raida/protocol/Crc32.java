package io.raida.protocol;

import io.raida.protocol.internal.Bytes;
import java.util.zip.CRC32;

/**
 * CRC-32/ISO-HDLC as used by the RAIDA challenge (wire-format §6.6, §8): identical to
 * {@link java.util.zip.CRC32}; written on the wire most significant byte first.
 */
public final class Crc32 {
    /** Challenge length: 12 random bytes followed by their CRC. */
    public static final int CHALLENGE_SIZE = 16;

    private static final ThreadLocal<CRC32> CRC = ThreadLocal.withInitial(CRC32::new);

    private Crc32() {
    }

    /**
     * CRC-32 of {@code len} bytes of {@code b} from {@code off}, as an unsigned value.
     *
     * @param b the array holding the bytes
     * @param off the first byte
     * @param len the number of bytes
     * @return the CRC-32, 0..2^32-1
     */
    public static long of(byte[] b, int off, int len) {
        CRC32 crc = CRC.get();
        crc.reset();
        crc.update(b, off, len);
        return crc.getValue();
    }

    /**
     * Writes the CRC of {@code b[off..off+11]} big-endian into {@code b[off+12..off+15]}.
     *
     * @param b the array holding the 16-byte challenge
     * @param off where the challenge starts
     */
    public static void sealChallenge(byte[] b, int off) {
        Bytes.putU32(b, off + 12, of(b, off, 12));
    }

    /**
     * True if {@code b[off+12..off+15]} holds the big-endian CRC of {@code b[off..off+11]}.
     *
     * @param b the array holding the 16-byte challenge
     * @param off where the challenge starts
     * @return {@code true} if the CRC matches
     */
    public static boolean checkChallenge(byte[] b, int off) {
        return Bytes.u32(b, off + 12) == of(b, off, 12);
    }
}
