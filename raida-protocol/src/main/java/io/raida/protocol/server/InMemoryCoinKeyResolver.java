package io.raida.protocol.server;

import io.raida.protocol.Denominations;
import io.raida.protocol.internal.Bytes;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A thread-safe in-memory {@link CoinKeyResolver} for tests, examples and small deployments. Coin
 * lookups index arrays by page (no boxing, no allocation per request); pages are created on first use.
 */
public final class InMemoryCoinKeyResolver implements CoinKeyResolver {
    private static final byte[] AMBIGUOUS = new byte[0];

    /** Index (denomination index × pages + page) → the page's 1 024 ANs, created on first put. */
    private final AtomicReferenceArray<AtomicReferenceArray<byte[]>> pages =
            new AtomicReferenceArray<>(Denominations.COUNT * Denominations.PAGES);
    private final Map<Long, byte[]> lockers = new ConcurrentHashMap<>();

    /**
     * Registers (or replaces) the AN of an issued coin.
     *
     * @param denomination the denomination code
     * @param serialNumber the serial number
     * @param an the 16-byte AN
     * @return this resolver
     */
    public InMemoryCoinKeyResolver putCoin(int denomination, long serialNumber, byte[] an) {
        if (!Denominations.isValid(denomination) || !Denominations.isValidSerial(serialNumber)) {
            throw new IllegalArgumentException("coin " + denomination + ":" + serialNumber
                    + " is outside denominations -8..6 / serial numbers 0..1023999");
        }
        checkAn(an);
        int p = pageIndex(denomination, serialNumber);
        AtomicReferenceArray<byte[]> page = pages.get(p);
        if (page == null) {
            pages.compareAndSet(p, null, new AtomicReferenceArray<>(Denominations.RECORDS_PER_PAGE));
            page = pages.get(p);
        }
        page.set(record(serialNumber), an.clone());
        return this;
    }

    /**
     * Removes a coin; it no longer serves as a key.
     *
     * @param denomination the denomination code
     * @param serialNumber the serial number
     * @return this resolver
     */
    public InMemoryCoinKeyResolver removeCoin(int denomination, long serialNumber) {
        if (Denominations.isValid(denomination) && Denominations.isValidSerial(serialNumber)) {
            AtomicReferenceArray<byte[]> page = pages.get(pageIndex(denomination, serialNumber));
            if (page != null) {
                page.set(record(serialNumber), null);
            }
        }
        return this;
    }

    /**
     * Registers a locker AN. Locker ANs end in {@code FF FF FF FF} (wire-format §3, D-47). Two lockers
     * sharing a 5-byte prefix make that prefix ambiguous: neither is served (D-34).
     *
     * @param lockerAn the 16-byte locker AN
     * @return this resolver
     */
    public InMemoryCoinKeyResolver putLocker(byte[] lockerAn) {
        checkAn(lockerAn);
        for (int i = 12; i < 16; i++) {
            if (lockerAn[i] != (byte) 0xFF) {
                throw new IllegalArgumentException("a locker AN must end in FF FF FF FF");
            }
        }
        byte[] copy = lockerAn.clone();
        lockers.merge(prefixKey(copy, 0), copy, (a, b) -> Arrays.equals(a, b) ? a : AMBIGUOUS);
        return this;
    }

    @Override
    public byte[] coinAn(int denomination, long serialNumber) {
        if (!Denominations.isValid(denomination) || !Denominations.isValidSerial(serialNumber)) {
            return null;
        }
        AtomicReferenceArray<byte[]> page = pages.get(pageIndex(denomination, serialNumber));
        return page == null ? null : page.get(record(serialNumber));
    }

    @Override
    public byte[] lockerAn(byte[] prefix, int off) {
        byte[] an = lockers.get(prefixKey(prefix, off));
        return an == AMBIGUOUS ? null : an;
    }

    private static void checkAn(byte[] an) {
        if (an == null || an.length != 16) {
            throw new IllegalArgumentException("an AN is 16 bytes");
        }
    }

    private static int pageIndex(int denomination, long serialNumber) {
        return Denominations.index(denomination) * Denominations.PAGES
                + (int) (serialNumber / Denominations.RECORDS_PER_PAGE);
    }

    private static int record(long serialNumber) {
        return (int) (serialNumber % Denominations.RECORDS_PER_PAGE);
    }

    private static long prefixKey(byte[] b, int off) {
        return ((long) (b[off] & 0xFF) << 32) | Bytes.u32(b, off + 1);
    }
}
