package io.raida.integrity;

import java.util.List;
import java.util.Set;

/**
 * What the spec allows each handler to answer, for {@link HandlerFuzzTest}: the statuses per command
 * (auth.md §2, healing.md §2 and §5, lockers.md §2 and §7, integrity.md §7, wire-format.md §6.4
 * and §12) and the payload size a status fixes. Also the pages the fuzzed server starts from, with
 * ANs a seed generator can compute ({@code make-corpus.py} mirrors {@link #an}).
 */
final class HandlerRules {
    static final int RAIDA = 7;
    static final int KEY_DEN = 0;
    static final long KEY_SN = 1;
    /** Encryption types a selector byte picks from. */
    static final int[] TYPES = {0, 1, 4};
    /** Longest fuzzed payload (a request body holds at most 65 535 bytes). */
    static final int MAX_PAYLOAD = 16_384;
    /** show_stats admin key: 16 × 0xAD. */
    static final byte[] ADMIN_KEY = filled(0xAD);
    /** The locker on den 1 records 70 and 71: 12 × 0x11 ‖ FF FF FF FF. */
    static final byte[] LOCKER = locker(0x11);
    /** Den 1 records 50..59 are unissued (MFS 0). */
    static final int UNISSUED_FROM = 50;
    static final int UNISSUED_TO = 59;

    private static final int COIN = 5;

    private HandlerRules() {
    }

    /** The payload size a status fixes, or −1 where the spec leaves it open. */
    @FunctionalInterface
    interface PayloadSize {
        int of(int status, byte[] payload, int type);
    }

    /**
     * One command's rules.
     *
     * @param readOnly true when the command must never write a page
     */
    record Rule(String name, int group, int code, Set<Integer> statuses, boolean readOnly, PayloadSize size) {
        int payloadSize(int status, byte[] payload, int type) {
            return size.of(status, payload, type);
        }
    }

    /** Statuses of every handler that needs a body: 36 no body, 16 wrong size. */
    private static Set<Integer> with(Integer... s) {
        java.util.Set<Integer> all = new java.util.HashSet<>(List.of(36, 16));
        all.addAll(List.of(s));
        return Set.copyOf(all);
    }

    private static int bitmap(int n) {
        return (n + 7) / 8;
    }

    private static PayloadSize none() {
        return (status, p, type) -> 0;
    }

    /** No body except on 243: a bitmap of one bit per record of {@code record} bytes. */
    private static PayloadSize mixedBitmap(int record, int tail) {
        return (status, p, type) -> status == 243 ? bitmap((p.length - tail) / record) : 0;
    }

    static final List<Rule> STATUS = List.of(
            new Rule("echo", 0, 0, Set.of(250), true, none()),
            new Rule("version", 0, 1, Set.of(250), true, (s, p, t) -> 8),
            new Rule("show_stats", 0, 2, Set.of(36, 38, 250), true, (s, p, t) -> {
                if (s != 250) {
                    return 0;
                }
                return p.length > 16 && p[16] == 1 ? -1 : 32; // the extended block lists the statuses seen
            }),
            new Rule("audit", 0, 3, Set.of(250), true, (s, p, t) -> CoinAudit.SIZE));

    static final List<Rule> AUTH = List.of(
            new Rule("detect", 1, 10, with(39, 241, 242, 243), true, mixedBitmap(21, 0)),
            new Rule("detect_sum", 1, 11, with(39, 40, 198, 241, 242), true, none()),
            new Rule("pown", 1, 20, with(39, 241, 242, 243), false, mixedBitmap(37, 0)),
            new Rule("pown_sum", 1, 21, with(39, 40, 198, 241, 242), false, none()));

    static final List<Rule> HEALING = List.of(
            new Rule("get_ticket", 2, 40, with(39, 40, 42, 241, 242, 243), true, (s, p, t) -> switch (s) {
                case 241 -> 4;
                case 243 -> bitmap(p.length / 21) + 4;
                default -> 0;
            }),
            new Rule("validate_ticket", 2, 50, with(18, 38, 43, 44, 250), true, (s, p, t) -> s == 250 ? -1 : 0),
            new Rule("find", 2, 60, with(39, 40, 208, 209, 210, 211), true, (s, p, t) -> s == 211 ? p.length / 37 : 0),
            new Rule("fix", 2, 80, with(39, 40, 241, 242, 243), false, mixedBitmap(COIN, 116)));

    static final List<Rule> LOCKERS = List.of(
            new Rule("store_sum", 8, 82, with(39, 40, 198, 199, 241, 242), false, none()),
            new Rule("peek", 8, 83, with(241, 242), true, (s, p, t) -> s == 241 ? -1 : 0),
            // remove: ⌊n/8⌋ + 1 bitmap bytes on 241/242/243 when the locker exists, none when not (D-58)
            new Rule("remove", 8, 84, with(39, 241, 242, 243), false, (s, p, t) -> s == 242 ? -1
                    : s == 241 || s == 243 ? (p.length - 16) / 21 / 8 + 1 : 0),
            new Rule("store_multiple_sum", 8, 88, with(198, 241, 242, 243), false,
                    (s, p, t) -> s == 243 ? bitmap(p[0] & 0xFF) : 0));

    static final List<Rule> INTEGRITY = List.of(
            new Rule("get_merkle_node", 14, 2, with(202, 250), true, (s, p, t) -> s == 250 ? 32 : 0),
            new Rule("get_page_data", 14, 4, with(202, 250), true, (s, p, t) -> s == 250 ? PageStore.PAGE_SIZE : 0),
            new Rule("get_all_roots", 14, 5, with(250), true, (s, p, t) -> s == 250 ? 480 : 0));

    /** A page the server starts from. */
    record SeedPage(int den, int page, byte[] bytes) {
    }

    /** Den 0 page 0 (records 0..99 issued, the key coin is 0/1) and den 1 page 0 (see the constants). */
    static List<SeedPage> pages() {
        return PAGES;
    }

    private static final List<SeedPage> PAGES = List.of(new SeedPage(0, 0, page(0)), new SeedPage(1, 0, page(1)));

    private static byte[] page(int den) {
        byte[] p = new byte[PageStore.PAGE_SIZE];
        for (int r = 0; r < 100; r++) {
            boolean unissued = den == 1 && r >= UNISSUED_FROM && r <= UNISSUED_TO;
            byte[] an = (den == 1 && (r == 70 || r == 71)) ? LOCKER : an(den, r);
            System.arraycopy(an, 0, p, r * PageStore.RECORD_SIZE, 16);
            p[r * PageStore.RECORD_SIZE + 16] = (byte) (unissued ? 0 : 33);
        }
        return p;
    }

    /** The seeded AN of {@code den}/{@code sn} (sn < 100): byte i = 31·sn + 7·i + 13·den. */
    static byte[] an(int den, long sn) {
        byte[] an = new byte[16];
        for (int i = 0; i < 16; i++) {
            an[i] = (byte) (31 * sn + 7 * i + 13 * den);
        }
        return an;
    }

    private static byte[] locker(int fill) {
        byte[] lk = filled(fill);
        java.util.Arrays.fill(lk, 12, 16, (byte) 0xFF);
        return lk;
    }

    private static byte[] filled(int value) {
        byte[] b = new byte[16];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }
}
