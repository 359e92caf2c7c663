package io.raida.protocol;

/**
 * Request encryption types (request header byte 16, wire-format §1).
 *
 * <p>Types 0/1/2 use the 32-byte header; every other byte value, including the reserved 3 and
 * all unknown values, is read as a 48-byte header (§5) and rejected with status 27.
 */
public enum EncryptionType {
    /** Plaintext body: challenge, payload, terminator. */
    NONE(0),
    /** AES-128-CTR keyed with the AN of the coin named in header bytes 17..21. */
    AES128_COIN(1),
    /** AES-128-CTR keyed with the locker AN whose first 5 bytes are header bytes 17..21. */
    AES128_LOCKER(2),
    /** AES-256-CTR + HMAC-SHA-256, key SHA-256(AN) of one coin, 48-byte header. */
    AES256_ONE_COIN(4),
    /** AES-256-CTR + HMAC-SHA-256, key SHA-256(AN1 || AN2) of two coins, 48-byte header. */
    AES256_TWO_COINS(5);

    private final int code;

    EncryptionType(int code) {
        this.code = code;
    }

    /**
     * Value of request byte 16.
     *
     * @return the type number
     */
    public int code() {
        return code;
    }

    /**
     * Header size this type uses: 32 for types 0/1/2, 48 for 4/5.
     *
     * @return 32 or 48
     */
    public int headerSize() {
        return headerSizeFor(code);
    }

    /**
     * True for the types whose header is 48 bytes and whose body carries an HMAC.
     *
     * @return {@code true} for types 4 and 5
     */
    public boolean isModern() {
        return code >= 4;
    }

    /**
     * The type for byte 16, or {@code null} for reserved/unknown values (answered with 27).
     *
     * @param code the value of request byte 16
     * @return the type, or {@code null}
     */
    public static EncryptionType fromCode(int code) {
        switch (code) {
            case 0: return NONE;
            case 1: return AES128_COIN;
            case 2: return AES128_LOCKER;
            case 4: return AES256_ONE_COIN;
            case 5: return AES256_TWO_COINS;
            default: return null;
        }
    }

    /**
     * Header-size detection rule of wire-format §5: 32 if byte 16 is 0, 1 or 2, otherwise 48.
     *
     * @param byte16 the value of request byte 16
     * @return 32 or 48
     */
    public static int headerSizeFor(int byte16) {
        return byte16 >= 0 && byte16 <= 2 ? RequestHeader.HEADER_32 : RequestHeader.HEADER_48;
    }
}
