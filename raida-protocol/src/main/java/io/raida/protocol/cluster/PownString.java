package io.raida.protocol.cluster;

import io.raida.protocol.RaidaIds;
import java.util.Arrays;

/**
 * A coin's POWN string: one letter per RAIDA in RAIDA order (auth.md §3): {@code p} pass, {@code f}
 * fail, {@code n} no reply, {@code b} broken encryption, {@code e} other error, {@code u} untried.
 * Immutable.
 */
public final class PownString {
    /** Letters in the order of their meaning above. */
    public static final String LETTERS = "pfnbeu";
    private static final int[] CODES = {0xA, 0xF, 0xC, 0xB, 0xE, 0x0};
    private static final PownString UNTRIED = new PownString("u".repeat(RaidaNetwork.SIZE));

    private final String letters;

    private PownString(String letters) {
        this.letters = letters;
    }

    /**
     * 25 {@code u}.
     *
     * @return the untried string
     */
    public static PownString untried() {
        return UNTRIED;
    }

    /**
     * Parses 25 letters.
     *
     * @param letters 25 letters
     * @return the POWN string
     * @throws IllegalArgumentException naming the position of a letter that is not one of {@code pfnbeu}
     */
    public static PownString of(String letters) {
        if (letters.length() != RaidaNetwork.SIZE) {
            throw new IllegalArgumentException("a POWN string has " + RaidaNetwork.SIZE + " letters, got "
                    + letters.length());
        }
        for (int i = 0; i < letters.length(); i++) {
            if (LETTERS.indexOf(letters.charAt(i)) < 0) {
                throw new IllegalArgumentException("POWN letter '" + letters.charAt(i) + "' for RAIDA " + i
                        + " is not one of " + LETTERS);
            }
        }
        return new PownString(letters);
    }

    /**
     * The 4-bit code of a letter (auth.md §5).
     *
     * @param letter one of {@code pfnbeu}
     * @return the code, 0..15
     */
    public static int code(char letter) {
        int i = LETTERS.indexOf(letter);
        if (i < 0) {
            throw new IllegalArgumentException("'" + letter + "' is not a POWN letter");
        }
        return CODES[i];
    }

    /**
     * The letter of a 4-bit code, or {@code 0} (the char) if the code names none.
     *
     * @param code the code, 0..15
     * @return the letter, or {@code 0}
     */
    public static char letterOf(int code) {
        for (int i = 0; i < CODES.length; i++) {
            if (CODES[i] == code) {
                return LETTERS.charAt(i);
            }
        }
        return 0;
    }

    /**
     * The letter for RAIDA {@code raidaId}.
     *
     * @param raidaId the RAIDA id, 0..24
     * @return the letter
     */
    public char letter(int raidaId) {
        return letters.charAt(RaidaIds.requireRaidaId(raidaId));
    }

    /**
     * A copy with the letter of RAIDA {@code raidaId} replaced.
     *
     * @param raidaId the RAIDA id, 0..24
     * @param letter the new letter, one of {@code pfnbeu}
     * @return a new POWN string
     */
    public PownString with(int raidaId, char letter) {
        code(letter);
        char[] c = letters.toCharArray();
        c[RaidaIds.requireRaidaId(raidaId)] = letter;
        return new PownString(new String(c));
    }

    /**
     * How many RAIDA have {@code letter}.
     *
     * @param letter the letter
     * @return the count, 0..25
     */
    public int count(char letter) {
        int n = 0;
        for (int i = 0; i < letters.length(); i++) {
            n += letters.charAt(i) == letter ? 1 : 0;
        }
        return n;
    }

    /**
     * The grade by the rule of auth.md §3.
     *
     * @return the grade
     */
    public Grade grade() {
        return Grade.of(count('p'), count('f'));
    }

    /** The 25 letters. */
    @Override
    public String toString() {
        return letters;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PownString p && p.letters.equals(letters);
    }

    @Override
    public int hashCode() {
        return letters.hashCode();
    }

    /** Packs the 25 codes into 13 bytes, RAIDA 0 in the high nibble of byte 0, marker {@code 9} last (auth.md §5). */
    byte[] toNibbles() {
        byte[] out = new byte[13];
        for (int i = 0; i < RaidaNetwork.SIZE; i++) {
            int c = code(letters.charAt(i));
            out[i / 2] |= (byte) (i % 2 == 0 ? c << 4 : c);
        }
        out[12] |= 0x09;
        return out;
    }

    /** The letters of 25 packed codes, or {@code null} if a code names no letter; the marker nibble is not checked. */
    static PownString fromNibbles(byte[] b, int off) {
        char[] c = new char[RaidaNetwork.SIZE];
        for (int i = 0; i < c.length; i++) {
            int v = b[off + i / 2] & 0xFF;
            c[i] = letterOf(i % 2 == 0 ? v >>> 4 : v & 0x0F);
            if (c[i] == 0) {
                return null;
            }
        }
        return new PownString(new String(c));
    }

    static PownString ofChars(char[] c) {
        return of(new String(Arrays.copyOf(c, c.length)));
    }
}
