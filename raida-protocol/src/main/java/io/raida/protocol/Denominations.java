package io.raida.protocol;

/**
 * Denomination and serial-number ranges of the RAIDA coin store (integrity.md §1–§2): 15
 * denominations, codes -8..6, each with 1 000 pages of 1 024 serial numbers.
 */
public final class Denominations {
    public static final int MIN = -8;
    public static final int MAX = 6;
    public static final int COUNT = 15;
    public static final int PAGES = 1_000;
    public static final int RECORDS_PER_PAGE = 1_024;
    public static final long SERIALS = (long) PAGES * RECORDS_PER_PAGE;

    private Denominations() {
    }

    /** True for denomination codes -8..6. */
    public static boolean isValid(int denomination) {
        return denomination >= MIN && denomination <= MAX;
    }

    /** True for serial numbers 0..1 023 999 (D-32: larger values must not alias lower pages). */
    public static boolean isValidSerial(long serialNumber) {
        return serialNumber >= 0 && serialNumber < SERIALS;
    }

    /** Array index of a denomination: code + 8 (0..14); also its position in the roots vector. */
    public static int index(int denomination) {
        if (!isValid(denomination)) {
            throw new IllegalArgumentException("denomination must be -8..6, got " + denomination);
        }
        return denomination - MIN;
    }

    /** Denomination code for an index 0..14. */
    public static int fromIndex(int index) {
        if (index < 0 || index >= COUNT) {
            throw new IllegalArgumentException("denomination index must be 0..14, got " + index);
        }
        return index + MIN;
    }
}
