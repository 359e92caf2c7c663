package io.raida.protocol;

/**
 * RAIDA X status codes, byte 2 of every response header (wire-format §10).
 *
 * <p>Code 204 is used for HMAC failures only (the reference also names it ERROR_BLOCKCHAIN, D-15;
 * this library never emits 204 for anything else). Values not listed here are opaque failures:
 * {@link #fromCode(int)} returns {@code null} for them.
 */
public enum StatusCode {
    /** 0: no error; used inside the server only, never sent. */
    NO_ERROR(0),
    /** 1: the request's cloud id (header byte 0) is not served here. */
    ERROR_INVALID_CLOUD_ID(1),
    /** 2: the request's split id (header byte 1) is not valid. */
    ERROR_INVALID_SPLIT_ID(2),
    /** 3: the request's RAIDA id (header byte 2) is not 0..24. */
    ERROR_INVALID_RAIDA_ID(3),
    /** 4: the request's shard id is not valid. */
    ERROR_INVALID_SHARD_ID(4),
    /** 5: no such command group. */
    ERROR_INVALID_COMMAND_GROUP(5),
    /** 6: no such command in the group (also the answer for groups without handlers). */
    ERROR_INVALID_COMMAND(6),
    /** 7: the request's coin id is not served here. */
    ERROR_INVALID_COIN_ID(7),
    /** 15: a UDP request announced more frames than allowed. */
    ERROR_INVALID_UDP_FRAME_COUNT(15),
    /** 16: the request's length does not match its header's body size. */
    ERROR_INVALID_PACKET_LENGTH(16),
    /** 17: the frames of a multi-frame UDP request did not all arrive in time. */
    ERROR_UDP_FRAME_TIMEOUT(17),
    /** 18: the request was addressed to another RAIDA. */
    ERROR_WRONG_RAIDA(18),
    /** 20: the shard the request names is not available on this server. */
    ERROR_SHARD_NOT_AVAILABLE(20),
    /** 25: the coin named as the encryption key is not known to this RAIDA. */
    ERROR_ENCRYPTION_COIN_NOT_FOUND(25),
    /** 27: the encryption type (header byte 16) is not one this server accepts. */
    ERROR_INVALID_ENCRYPTION_CODE(27),
    /** 33: the body does not end with the {@code 3E 3E} terminator. */
    ERROR_INVALID_EOF(33),
    /** 34: the body did not decrypt or its challenge did not check. */
    ERROR_INVALID_ENCRYPTION(34),
    /** 36: the request has no body where the command needs one. */
    ERROR_EMPTY_REQUEST(36),
    /** 37: the challenge's CRC-32 does not match. */
    ERROR_INVALID_CRC(37),
    /** 38: the administrator key did not authenticate the request. */
    ERROR_ADMIN_AUTH(38),
    /** 39: the amount cannot be split into the requested coins. */
    ERROR_COINS_NOT_DIV(39),
    /** 40: a serial number or denomination is out of range. */
    ERROR_INVALID_SN_OR_DENOMINATION(40),
    /** 41: the page was not reserved before it was written. */
    ERROR_PAGE_IS_NOT_RESERVED(41),
    /** 42: the ticket pool is full; no ticket can be issued now. */
    ERROR_NO_TICKET_SLOT(42),
    /** 43: no live ticket matches the one given. */
    ERROR_NO_TICKET_FOUND(43),
    /** 44: the ticket was already claimed. */
    ERROR_TICKET_CLAIMED_ALREADY(44),
    /** 45: the request lists more coins than the command allows. */
    ERROR_TOO_MANY_COINS(45),
    /** 46: the shard is not valid for this command. */
    ERROR_INVALID_SHARD(46),
    /** 47: the coins could not be deleted. */
    ERROR_DELETE_COINS(47),
    /** 48: the legacy (CC2) back end could not be used. */
    ERROR_LEGACY_DB(48),
    /** 49: the crossover queue is full. */
    ERROR_CROSSOVER_FULL(49),
    /** 50: the coin offered for a trade is not valid. */
    ERROR_INVALID_TRADE_COIN(50),
    /** 51: no trade locker matches the one given. */
    ERROR_TRADE_LOCKER_NOT_FOUND(51),
    /** 52: the server has no private key for this operation. */
    ERROR_NO_PRIVATE_KEY(52),
    /** 89: the command exists but this server does not implement it. */
    ERROR_NOT_IMPLEMENTED(89),
    /** 90: one or more coins are not valid for the command. */
    ERROR_BAD_COINS(90),
    /** 148: a trade locker with that key already exists. */
    ERROR_TRADE_LOCKER_EXISTS(148),
    /** 149: there is no trade locker for the request. */
    ERROR_NO_TRADE_LOCKER(149),
    /** 150: the operation was accepted and is still in progress. */
    STATUS_WAITING(150),
    /** 152: the wallet holds no bitcoin for the operation. */
    ERROR_NO_BTC_IN_WALLET(152),
    /** 153: the locker holds fewer coins than the request needs. */
    ERROR_FEW_COINS_IN_LOCKER(153),
    /** 154: the locker is already in use. */
    ERROR_LOCKER_USED(154),
    /** 160: the client sent requests faster than this server allows. */
    ERROR_REQUEST_RATE(160),
    /** 177: the transaction was already processed. */
    ERROR_TXN_PROCESSED(177),
    /** 178: the crypto back end could not be reached. */
    ERROR_CRYPTO_CONNECT(178),
    /** 179: the locker is empty or does not exist. */
    ERROR_LOCKER_EMPTY_OR_NOT_EXISTS(179),
    /** 180: the proxy could not be reached. */
    ERROR_PROXY_CONNECT(180),
    /** 181: the price is not acceptable. */
    ERROR_PRICE(181),
    /** 182: there are no coins for the operation. */
    ERROR_NO_COINS(182),
    /** 183: the transaction was already seen. */
    STATUS_TX_SEEN(183),
    /** 184: the name resolves but has no record of the requested kind. */
    ERROR_NXRECORD(184),
    /** 185: the domain name does not exist. */
    ERROR_NXDOMAIN(185),
    /** 186: an error the server could not classify. */
    ERROR_UNKNOWN(186),
    /** 187: the proxy answered with an error. */
    ERROR_PROXY(187),
    /** 188: a key could not be built. */
    ERROR_KEY_BUILD(188),
    /** 189: an external back end failed. */
    ERROR_EXTERNAL_BACKEND(189),
    /** 190: the transaction is empty. */
    ERROR_TX_EMPTY(190),
    /** 191: the transaction does not exist. */
    ERROR_TX_NOT_EXIST(191),
    /** 192: the amounts in the request do not add up. */
    ERROR_AMOUNT_MISMATCH(192),
    /** 193: there is no entry for the request. */
    ERROR_NO_ENTRY(193),
    /** 194: a file-system operation failed on the server. */
    ERROR_FILESYSTEM(194),
    /** 195: the key starts at an invalid position. */
    ERROR_INVALID_KEY_START(195),
    /** 196: the key has an invalid length. */
    ERROR_INVALID_KEY_LENGTH(196),
    /** 197: a coin could not be loaded. */
    ERROR_COIN_LOAD(197),
    /** 198: a request parameter is not valid. */
    ERROR_INVALID_PARAMETER(198),
    /** 199: the proposed AN (PAN) is not valid. */
    ERROR_INVALID_PAN(199),
    /** 201: the file already exists. */
    ERROR_FILE_EXISTS(201),
    /** 202: the file does not exist. */
    ERROR_FILE_NOT_EXIST(202),
    /** 203: the transaction is not valid. */
    ERROR_INVALID_TRANSACTION(203),
    /** HMAC check of a type 4/5 body failed. Never used for anything else (D-15). */
    ERROR_INVALID_HMAC(204),
    /** 205: the parts could not be assembled. */
    ERROR_ASSEMBLE(205),
    /** 208: find: the coin matches neither the AN nor the PAN given. */
    STATUS_FIND_NEITHER(208),
    /** 209: find: every coin matches its AN. */
    STATUS_FIND_ALL_AN(209),
    /** 210: find: every coin matches its PAN. */
    STATUS_FIND_ALL_PAN(210),
    /** 211: find: some coins match their AN, others their PAN; a bitmap follows. */
    STATUS_FIND_MIXED(211),
    /** 241: every coin passed (authentic); no body. */
    STATUS_ALL_PASS(241),
    /** 242: every coin failed; no body. */
    STATUS_ALL_FAIL(242),
    /** 243: some coins passed; the body is a bitmap, one bit per coin in request order. */
    STATUS_MIXED(243),
    /** 250: the command was carried out. */
    STATUS_SUCCESS(250),
    /** 252: the server failed while handling the request (e.g. a handler threw). */
    ERROR_INTERNAL(252),
    /** 253: a network error on the server side (e.g. a peer RAIDA did not answer). */
    ERROR_NETWORK(253),
    /** 254: the server ran out of memory or of a bounded resource for the request. */
    ERROR_MEMORY_ALLOC(254),
    /** 255: the request could not be routed to a handler. */
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

    /**
     * The byte value on the wire (0..255).
     *
     * @return the status byte, 0..255
     */
    public int code() {
        return code;
    }

    /**
     * The status for a wire value, or {@code null} if the value is not a known status.
     *
     * @param code the status byte received, 0..255
     * @return the named status, or {@code null} for an unlisted value (treat it as an opaque failure)
     */
    public static StatusCode fromCode(int code) {
        return code >= 0 && code < 256 ? BY_CODE[code] : null;
    }

    /**
     * A readable name for any wire value, e.g. {@code "ERROR_INVALID_CRC(37)"} or {@code "UNKNOWN(99)"}.
     *
     * @param code the status byte received
     * @return the name with the value in parentheses, never {@code null}
     */
    public static String describe(int code) {
        StatusCode s = fromCode(code);
        return (s == null ? "UNKNOWN" : s.name()) + "(" + code + ")";
    }

    /**
     * True for the statuses that mean the command was carried out (250, 241, 242, 243).
     *
     * @return {@code true} for 250, 241, 242 and 243
     */
    public boolean isResult() {
        return this == STATUS_SUCCESS || this == STATUS_ALL_PASS || this == STATUS_ALL_FAIL || this == STATUS_MIXED;
    }
}
