package io.raida.protocol.cluster;

import io.raida.protocol.RaidaIds;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;

/**
 * The key of a locker on one RAIDA (lockers.md §1): {@code LK_i = MD5(ASCII(decimal(i) ‖ code))} with
 * bytes 12..15 replaced by {@code FF FF FF FF}. On RAIDA {@code i} every coin in the locker holds
 * {@code LK_i} as its AN, so the key is as secret as an AN: {@link #toString()} never shows it and
 * {@link #equals} compares in constant time.
 *
 * <pre>{@code
 * LockerKey lk = LockerKey.fromTransmitCode("ABC-1234", 0);   // D2 1F B1 D3 … 4E 40 FF FF FF FF
 * }</pre>
 */
public final class LockerKey {
    /** Bytes of a locker key (an AN). */
    public static final int SIZE = 16;
    /** Offset of the {@code FF FF FF FF} tail that marks an AN as a locker key. */
    public static final int TAIL_OFFSET = 12;

    private final byte[] key;

    private LockerKey(byte[] key) {
        this.key = key;
    }

    /**
     * Derives the key of the locker named by {@code code} on RAIDA {@code raidaId}. The code is
     * {@linkplain #normalize normalised} first (outer white space removed, case kept).
     *
     * @param code the transmit code
     * @param raidaId the RAIDA id, 0..24
     * @return the key
     * @throws IllegalArgumentException if the code is refused by {@link #normalize} or the RAIDA id is not 0..24
     */
    public static LockerKey fromTransmitCode(String code, int raidaId) {
        String c = normalize(code);
        RaidaIds.requireRaidaId(raidaId);
        byte[] md5;
        try {
            md5 = MessageDigest.getInstance("MD5").digest((raidaId + c).getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no MD5, which every Java platform must provide", e);
        }
        Arrays.fill(md5, TAIL_OFFSET, SIZE, (byte) 0xFF);
        return new LockerKey(md5);
    }

    /**
     * A locker key from its 16 bytes (copied), e.g. read from a coin file's PANs.
     *
     * @param key the 16 key bytes
     * @return the key
     * @throws IllegalArgumentException if {@code key} is not 16 bytes ending {@code FF FF FF FF}
     */
    public static LockerKey of(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length != SIZE) {
            throw new IllegalArgumentException("a locker key is " + SIZE + " bytes, got " + key.length);
        }
        if (!hasLockerTail(key, 0)) {
            throw new IllegalArgumentException("a locker key ends FF FF FF FF (bytes 12..15); this one does not");
        }
        return new LockerKey(key.clone());
    }

    /**
     * The transmit code as the key derivation uses it (lockers.md §1): leading and trailing white
     * space removed, case kept ({@code abc-1234} and {@code ABC-1234} are two lockers). The messages of
     * the exceptions never contain the code: it is the locker's only secret.
     *
     * @param code the transmit code
     * @return the normalised code
     * @throws IllegalArgumentException if the code is null, empty after trimming, contains inner white
     *                                  space, a non-ASCII or a control character
     */
    public static String normalize(String code) {
        if (code == null) {
            throw new IllegalArgumentException("a transmit code is required");
        }
        String c = code.strip();
        if (c.isEmpty()) {
            throw new IllegalArgumentException("the transmit code is empty");
        }
        for (int i = 0; i < c.length(); i++) {
            char ch = c.charAt(i);
            if (Character.isWhitespace(ch) || Character.isSpaceChar(ch)) {
                throw new IllegalArgumentException("the transmit code contains white space at character " + (i + 1)
                        + "; write it without spaces (as XXX-XXXX)");
            }
            if (ch > 0x7E) {
                throw new IllegalArgumentException("the transmit code contains a non-ASCII character at character "
                        + (i + 1) + "; codes are ASCII letters, digits and '-'");
            }
            if (ch < 0x20 || ch == 0x7F) {
                throw new IllegalArgumentException("the transmit code contains a control character at character "
                        + (i + 1));
            }
        }
        return c;
    }

    /**
     * Whether {@code b[off+12..off+16)} is {@code FF FF FF FF}, the mark of a locker key.
     *
     * @param b the array holding the key
     * @param off where the key starts
     * @return {@code true} if the key ends in {@code FF FF FF FF}
     */
    public static boolean hasLockerTail(byte[] b, int off) {
        return (b[off + TAIL_OFFSET] & b[off + TAIL_OFFSET + 1] & b[off + TAIL_OFFSET + 2]
                & b[off + TAIL_OFFSET + 3]) == (byte) 0xFF;
    }

    /**
     * The 16 key bytes (a copy).
     *
     * @return a new 16-byte array
     */
    public byte[] bytes() {
        return key.clone();
    }

    /**
     * Copies the 16 key bytes to {@code dst[off..off+16)}.
     *
     * @param dst the array to write to
     * @param off where the key starts
     */
    public void copyTo(byte[] dst, int off) {
        System.arraycopy(key, 0, dst, off, SIZE);
    }

    /** Constant-time comparison of the key bytes. */
    @Override
    public boolean equals(Object o) {
        return o instanceof LockerKey k && MessageDigest.isEqual(key, k.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    /** Never shows the key. */
    @Override
    public String toString() {
        return "LockerKey[redacted]";
    }
}
