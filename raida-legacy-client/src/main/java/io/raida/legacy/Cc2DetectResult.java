package io.raida.legacy;

import io.raida.protocol.StatusCode;
import java.util.Arrays;

/**
 * Per-coin outcome of a CC2 detect, in request order, as the RAIDA X bitmap: coin {@code i} is bit
 * {@code i % 8} (least significant first) of byte {@code i / 8}; 1 = authentic. Bits past the last
 * coin are always 0. Immutable.
 */
public final class Cc2DetectResult {
    private final int coinCount;
    private final byte[] bitmap;
    private final int passCount;

    private Cc2DetectResult(int coinCount, byte[] bitmap) {
        this.coinCount = coinCount;
        this.bitmap = bitmap;
        int tail = coinCount % 8;
        if (tail != 0) {
            bitmap[bitmap.length - 1] &= (byte) ((1 << tail) - 1);
        }
        int p = 0;
        for (byte b : bitmap) {
            p += Integer.bitCount(b & 0xFF);
        }
        this.passCount = p;
    }

    /**
     * Bytes in the bitmap for {@code n} coins: {@code ceil(n / 8)}.
     *
     * @param n the number of coins, 0 or more
     * @return the bitmap length in bytes
     */
    public static int bitmapSize(int n) {
        return (n + 7) >>> 3;
    }

    /**
     * Every one of {@code n} coins authentic.
     *
     * @param n the number of coins
     * @return a result with every bit set (status 241 ALL_PASS when {@code n > 0})
     */
    public static Cc2DetectResult allPass(int n) {
        checkCount(n);
        byte[] b = new byte[bitmapSize(n)];
        Arrays.fill(b, (byte) 0xFF);
        return new Cc2DetectResult(n, b);
    }

    /**
     * Every one of {@code n} coins counterfeit.
     *
     * @param n the number of coins
     * @return a result with no bit set (status 242 ALL_FAIL when {@code n > 0})
     */
    public static Cc2DetectResult allFail(int n) {
        checkCount(n);
        return new Cc2DetectResult(n, new byte[bitmapSize(n)]);
    }

    /**
     * From a bitmap of exactly {@code ceil(n/8)} bytes (copied; bits past coin {@code n-1} are ignored).
     *
     * @param n the number of coins the bitmap covers
     * @param bitmap one bit per coin, coin 0 in the least significant bit of byte 0
     * @return the result for those {@code n} coins
     * @throws IllegalArgumentException if the bitmap has another length
     */
    public static Cc2DetectResult fromBitmap(int n, byte[] bitmap) {
        checkCount(n);
        if (bitmap.length != bitmapSize(n)) {
            throw new IllegalArgumentException("a bitmap for " + n + " coins is " + bitmapSize(n) + " bytes, got "
                    + bitmap.length);
        }
        return new Cc2DetectResult(n, bitmap.clone());
    }

    private static void checkCount(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("a detect result covers at least one coin, got " + n);
        }
    }

    /**
     * The number of coins checked (the size of the request).
     *
     * @return the coin count, 0 or more
     */
    public int coinCount() {
        return coinCount;
    }

    /**
     * True if coin {@code i} (request order) is authentic.
     *
     * @param i the coin's index in the request, 0..{@code coinCount() - 1}
     * @return {@code true} if CC2 said coin {@code i} is authentic
     */
    public boolean passed(int i) {
        if (i < 0 || i >= coinCount) {
            throw new IndexOutOfBoundsException("coin " + i + " of " + coinCount);
        }
        return (bitmap[i >>> 3] >>> (i & 7) & 1) != 0;
    }

    /**
     * The coins CC2 found authentic.
     *
     * @return the number of set bits among the first {@link #coinCount()}
     */
    public int passCount() {
        return passCount;
    }

    /**
     * The coins CC2 found counterfeit.
     *
     * @return {@code coinCount() - passCount()}
     */
    public int failCount() {
        return coinCount - passCount;
    }

    /**
     * The bitmap, a copy.
     *
     * @return a fresh copy of the pass/fail bitmap, {@link #bitmapSize(int) bitmapSize(coinCount())} bytes
     */
    public byte[] bitmap() {
        return bitmap.clone();
    }

    /**
     * 241 all pass, 242 all fail, 243 mixed: decided from the counts, whatever CC2 status carried it.
     *
     * @return 241, 242 or 243 as a {@link StatusCode}
     */
    public StatusCode raidaStatus() {
        return passCount == coinCount ? StatusCode.STATUS_ALL_PASS
                : passCount == 0 ? StatusCode.STATUS_ALL_FAIL : StatusCode.STATUS_MIXED;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cc2DetectResult r && r.coinCount == coinCount && Arrays.equals(r.bitmap, bitmap);
    }

    @Override
    public int hashCode() {
        return coinCount * 31 + Arrays.hashCode(bitmap);
    }

    @Override
    public String toString() {
        return "Cc2DetectResult[" + passCount + " of " + coinCount + " pass, " + raidaStatus() + "]";
    }
}
