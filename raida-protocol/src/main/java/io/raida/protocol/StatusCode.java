package io.raida.protocol;

/**
 * RAIDA X status codes, byte 2 of every response header (wire-format §10).
 *
 * <p>Code 204 is used for HMAC failures only (the reference also names it ERROR_BLOCKCHAIN, D-15;
 * this library never emits 204 for anything else). Values not listed here are opaque failures:
 * {@link #fromCode(int)} returns {@code null} for them.
 */
public enum StatusCode {
    NO_ERROR(0),
    ERROR_INVALID_CLOUD_ID(1),
    ERROR_INVALID_SPLIT_ID(2),
    ERROR_INVALID_RAIDA_ID(3),
    ERROR_INVALID_SHARD_ID(4),
    ERROR_INVALID_COMMAND_GROUP(5),
    ERROR_INVALID_COMMAND(6),
    ERROR_INVALID_COIN_ID(7),
    ERROR_INVALID_UDP_FRAME_COUNT(15),
    ERROR_INVALID_PACKET_LENGTH(16),
    ERROR_UDP_FRAME_TIMEOUT(17),
    ERROR_WRONG_RAIDA(18),
    ERROR_SHARD_NOT_AVAILABLE(20),
    ERROR_ENCRYPTION_COIN_NOT_FOUND(25),
    ERROR_INVALID_ENCRYPTION_CODE(27),
    ERROR_INVALID_EOF(33),
    ERROR_INVALID_ENCRYPTION(34),
    ERROR_EMPTY_REQUEST(36),
    ERROR_INVALID_CRC(37),
    ERROR_ADMIN_AUTH(38),
    ERROR_COINS_NOT_DIV(39),
    ERROR_INVALID_SN_OR_DENOMINATION(40),
    ERROR_PAGE_IS_NOT_RESERVED(41),
    ERROR_NO_TICKET_SLOT(42),
    ERROR_NO_TICKET_FOUND(43),
    ERROR_TICKET_CLAIMED_ALREADY(44),
    ERROR_TOO_MANY_COINS(45),
    ERROR_INVALID_SHARD(46),
    ERROR_DELETE_COINS(47),
    ERROR_LEGACY_DB(48),
    ERROR_CROSSOVER_FULL(49),
    ERROR_INVALID_TRADE_COIN(50),
    ERROR_TRADE_LOCKER_NOT_FOUND(51),
    ERROR_NO_PRIVATE_KEY(52),
    ERROR_NOT_IMPLEMENTED(89),
    ERROR_BAD_COINS(90),
    ERROR_TRADE_LOCKER_EXISTS(148),
    ERROR_NO_TRADE_LOCKER(149),
    STATUS_WAITING(150),
    ERROR_NO_BTC_IN_WALLET(152),
    ERROR_FEW_COINS_IN_LOCKER(153),
    ERROR_LOCKER_USED(154),
    ERROR_REQUEST_RATE(160),
    ERROR_TXN_PROCESSED(177),
    ERROR_CRYPTO_CONNECT(178),
    ERROR_LOCKER_EMPTY_OR_NOT_EXISTS(179),
    ERROR_PROXY_CONNECT(180),
    ERROR_PRICE(181),
    ERROR_NO_COINS(182),
    STATUS_TX_SEEN(183),
    ERROR_NXRECORD(184),
    ERROR_NXDOMAIN(185),
    ERROR_UNKNOWN(186),
    ERROR_PROXY(187),
    ERROR_KEY_BUILD(188),
    ERROR_EXTERNAL_BACKEND(189),
    ERROR_TX_EMPTY(190),
    ERROR_TX_NOT_EXIST(191),
    ERROR_AMOUNT_MISMATCH(192),
    ERROR_NO_ENTRY(193),
    ERROR_FILESYSTEM(194),
    ERROR_INVALID_KEY_START(195),
    ERROR_INVALID_KEY_LENGTH(196),
    ERROR_COIN_LOAD(197),
    ERROR_INVALID_PARAMETER(198),
    ERROR_INVALID_PAN(199),
    ERROR_FILE_EXISTS(201),
    ERROR_FILE_NOT_EXIST(202),
    ERROR_INVALID_TRANSACTION(203),
    /** HMAC check of a type 4/5 body failed. Never used for anything else (D-15). */
    ERROR_INVALID_HMAC(204),
    ERROR_ASSEMBLE(205),
    STATUS_FIND_NEITHER(208),
    STATUS_FIND_ALL_AN(209),
    STATUS_FIND_ALL_PAN(210),
    STATUS_FIND_MIXED(211),
    STATUS_ALL_PASS(241),
    STATUS_ALL_FAIL(242),
    STATUS_MIXED(243),
    STATUS_SUCCESS(250),
    ERROR_INTERNAL(252),
    ERROR_NETWORK(253),
    ERROR_MEMORY_ALLOC(254),
    ERROR_INVALID_ROUTING(255);

    private static final StatusCode[] BY_CODE = new StatusCode[256];

    static {
        for (StatusCode s : values()) {
            BY_CODE[s.code] = s;
        }
    }

    private final int code;

    StatusCode(int code) {
        this.code = code;
    }

    /** The byte value on the wire (0..255). */
    public int code() {
        return code;
    }

    /** The status for a wire value, or {@code null} if the value is not a known status. */
    public static StatusCode fromCode(int code) {
        return code >= 0 && code < 256 ? BY_CODE[code] : null;
    }

    /** A readable name for any wire value, e.g. {@code "ERROR_INVALID_CRC(37)"} or {@code "UNKNOWN(99)"}. */
    public static String describe(int code) {
        StatusCode s = fromCode(code);
        return (s == null ? "UNKNOWN" : s.name()) + "(" + code + ")";
    }

    /** True for the statuses that mean the command was carried out (250, 241, 242, 243). */
    public boolean isResult() {
        return this == STATUS_SUCCESS || this == STATUS_ALL_PASS || this == STATUS_ALL_FAIL || this == STATUS_MIXED;
    }
}
