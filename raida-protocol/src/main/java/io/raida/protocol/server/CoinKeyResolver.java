package io.raida.protocol.server;

import io.raida.protocol.Denominations;

/**
 * Where the core finds the secrets that key encryption types 1, 2, 4 and 5. The core never owns
 * coin storage; an embedder plugs in its page store (see raida-integrity) or
 * {@link InMemoryCoinKeyResolver}.
 *
 * <p>Implementations must be thread-safe and fast: they are called on the I/O thread for every
 * encrypted request. The core range-checks denomination and serial number before calling
 * ({@link Denominations}), so implementations see only valid coordinates.
 */
public interface CoinKeyResolver {

    /**
     * The 16-byte AN of an issued coin, or {@code null} if the coin does not exist or is not issued
     * (an unissued serial number must never serve as a key, D-33). The array is not modified.
     *
     * @param denomination the key coin's denomination code
     * @param serialNumber the key coin's serial number
     * @return the AN, or {@code null}
     */
    byte[] coinAn(int denomination, long serialNumber);

    /**
     * The 16-byte locker AN whose first five bytes equal {@code prefix[off..off+5)}, or {@code null}
     * if there is none or the prefix is ambiguous. The array is not modified.
     *
     * @param prefix the array holding the 5-byte prefix (request bytes 17..21)
     * @param off where the prefix starts
     * @return the locker AN, or {@code null}
     */
    byte[] lockerAn(byte[] prefix, int off);

    /** A resolver that knows no keys: every encrypted request is answered 34/25. */
    CoinKeyResolver NONE = new CoinKeyResolver() {
        @Override
        public byte[] coinAn(int denomination, long serialNumber) {
            return null;
        }

        @Override
        public byte[] lockerAn(byte[] prefix, int off) {
            return null;
        }
    };
}
