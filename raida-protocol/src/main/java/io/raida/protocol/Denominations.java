package io.raida.protocol;

/**
 * Denomination and serial-number ranges of the RAIDA coin store (integrity.md §1–§2): 15
 * denominations, codes -8..6, each with 1 000 pages of 1 024 serial numbers.
 */
public final class Denominations {
    /** The smallest denomination code. */
    public static final int MIN = -8;
    /** The largest denomination code. */
    public static final int MAX = 6;
    /** The number of denominations, -8..6. */
    public static final int COUNT = 15;
    /** Pages per denomination. */
    public static final int PAGES = 1_000;
    /** Coin records per page. */
    public static final int RECORDS_PER_PAGE = 1_024;
    /** Serial numbers per denomination: 1 024 000. */
    public static final long SERIALS = (long) PAGES * RECORDS_PER_PAGE;

    private Denominations() {
    }

    /**
     * True for denomination codes -8..6.
     *
     * @param denomination the code to check
     * @return {@code true} if it is -8..6
     */
    public static boolean isValid(int denomination) {
        return denomination >= MIN && denomination <= MAX;
    }

    /**
     * True for serial numbers 0..1 023 999 (D-32: larger values must not alias lower pages).
     *
     * @param serialNumber the serial number to check
     * @return {@code true} if it is 0..1 023 999
     */
    public static boolean isValidSerial(long serialNumber) {
        return serialNumber >= 0 && serialNumber < SERIALS;
    }

    /**
     * Array index of a denomination: code + 8 (0..14); also its position in the roots vector.
     *
     * @param denomination the code, -8..6
     * @return the index, 0..14
     */
    public static int index(int denomination) {
        if (!isValid(denomination)) {
            throw new IllegalArgumentException("denomination must be -8..6, got " + denomination);
        }
        return denomination - MIN;
    }

    /**
     * Denomination code for an index 0..14.
     *
     * @param index the index, 0..14
     * @return the code, -8..6
     */
    public static int fromIndex(int index) {
        if (index < 0 || index >= COUNT) {
            throw new IllegalArgumentException("denomination index must be 0..14, got " + index);
        }
        return index + MIN;
    }
}
