package io.raida.protocol;

/** Command groups, request header byte 4 (wire-format §11). Values above 15 are answered with 5. */
public enum CommandGroup {
    /** 0: status commands (echo, version, audit, ...). */
    STATUS(0),
    /** 1: authentication (detect, POWN). */
    AUTH(1),
    /** 2: healing (tickets, fix, find). */
    HEALING(2),
    /** 3: administration. */
    ADMIN(3),
    /** 4: key exchange. */
    KEY_EXCHANGE(4),
    /** 5: banking (no handlers in the reference). */
    BANKING(5),
    /** 6: chat (no handlers in the reference). */
    CHAT(6),
    /** 7: blockchain (no handlers in the reference). */
    BLOCKCHAIN(7),
    /** 8: lockers. */
    LOCKER(8),
    /** 9: change (breaking and joining coins). */
    CHANGE(9),
    /** 10: shards. */
    SHARD(10),
    /** 11: crossover. */
    CROSSOVER(11),
    /** 12: RPC. */
    RPC(12),
    /** 13: file system. */
    FILE_SYSTEM(13),
    /** 14: integrity (Merkle trees, votes, page sync). */
    INTEGRITY(14),
    /** 15: RKE. */
    RKE(15);

    /** Highest group accepted by the range check (the design notes' 14 is wrong, §14). */
    public static final int MAX_GROUP = 15;

    private static final CommandGroup[] VALUES = values();

    private final int code;

    CommandGroup(int code) {
        this.code = code;
    }

    /**
     * Value of request byte 4.
     *
     * @return the group number, 0..15
     */
    public int code() {
        return code;
    }

    /**
     * The group for byte 4, or {@code null} if it is out of range (status 5).
     *
     * @param code the value of request byte 4
     * @return the group, or {@code null}
     */
    public static CommandGroup fromCode(int code) {
        return code >= 0 && code <= MAX_GROUP ? VALUES[code] : null;
    }
}
