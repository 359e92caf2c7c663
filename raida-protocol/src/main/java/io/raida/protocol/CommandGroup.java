package io.raida.protocol;

/** Command groups, request header byte 4 (wire-format §11). Values above 15 are answered with 5. */
public enum CommandGroup {
    STATUS(0),
    AUTH(1),
    HEALING(2),
    ADMIN(3),
    KEY_EXCHANGE(4),
    BANKING(5),
    CHAT(6),
    BLOCKCHAIN(7),
    LOCKER(8),
    CHANGE(9),
    SHARD(10),
    CROSSOVER(11),
    RPC(12),
    FILE_SYSTEM(13),
    INTEGRITY(14),
    RKE(15);

    /** Highest group accepted by the range check (the design notes' 14 is wrong, §14). */
    public static final int MAX_GROUP = 15;

    private static final CommandGroup[] VALUES = values();

    private final int code;

    CommandGroup(int code) {
        this.code = code;
    }

    /** Value of request byte 4. */
    public int code() {
        return code;
    }

    /** The group for byte 4, or {@code null} if it is out of range (status 5). */
    public static CommandGroup fromCode(int code) {
        return code >= 0 && code <= MAX_GROUP ? VALUES[code] : null;
    }
}
