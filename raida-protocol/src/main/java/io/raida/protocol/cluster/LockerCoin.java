package io.raida.protocol.cluster;

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
        long sn = ((b[off + 1] & 0xFFL) << 24) | ((b[off + 2] & 0xFF) << 16) | ((b[off + 3] & 0xFF) << 8)
                | (b[off + 4] & 0xFF);
        return new LockerCoin(b[off], sn);
    }

    /** Writes {@code den(1) ‖ SN(4)} at {@code b[off]}. */
    void write(byte[] b, int off) {
        b[off] = (byte) denomination;
        b[off + 1] = (byte) (serialNumber >>> 24);
        b[off + 2] = (byte) (serialNumber >>> 16);
        b[off + 3] = (byte) (serialNumber >>> 8);
        b[off + 4] = (byte) serialNumber;
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
