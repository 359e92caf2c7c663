package io.raida.protocol.cluster;

import io.raida.protocol.internal.Bytes;

/**
 * A coin as a locker lists it (lockers.md §2, 8/83): denomination and serial number, no AN.
 * Ordered by denomination, then serial number (the order a Java server's peek lists them in).
 *
 * @param denomination signed byte
 * @param serialNumber u32
 */
public record LockerCoin(int denomination, long serialNumber) implements Comparable<LockerCoin> {

    /**
     * Checks the ranges of the wire fields.
     *
     * @param denomination signed byte
     * @param serialNumber u32
     */
    public LockerCoin {
        if (denomination < -128 || denomination > 127) {
            throw new IllegalArgumentException("denomination is a signed byte, got " + denomination);
        }
        if (serialNumber < 0 || serialNumber > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("serial number is 32 bits unsigned, got " + serialNumber);
        }
    }

    /**
     * The locker entry of {@code coin}.
     *
     * @param coin the coin
     * @return the entry
     */
    public static LockerCoin of(Coin coin) {
        return new LockerCoin(coin.denomination(), coin.serialNumber());
    }

    /** Reads {@code den(1) ‖ SN(4)} at {@code b[off]}. */
    static LockerCoin read(byte[] b, int off) {
        return new LockerCoin(b[off], Bytes.u32(b, off + 1));
    }

    /** {@code den/SN}, e.g. {@code 1/101}. */
    @Override
    public String toString() {
        return denomination + "/" + serialNumber;
    }

    @Override
    public int compareTo(LockerCoin o) {
        int c = Integer.compare(denomination, o.denomination);
        return c != 0 ? c : Long.compare(serialNumber, o.serialNumber);
    }
}
