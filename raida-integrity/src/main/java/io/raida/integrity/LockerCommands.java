package io.raida.integrity;

import io.raida.protocol.internal.Bytes;
import io.raida.protocol.server.CommandHandler;
import io.raida.protocol.server.CommandRequest;
import io.raida.protocol.server.CommandResult;
import io.raida.protocol.StatusCode;
import io.raida.protocol.cluster.LockerKey;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The locker commands of group 8 over the page store (lockers.md §2, §7): 8/82 store_sum (put),
 * 8/83 peek, 8/84 remove, 8/88 store_multiple_sum. A coin is in locker LK when its stored AN is LK
 * (ending {@code FF FF FF FF}) and its MFS is not 0; the {@link LockerIndex} caches that relation and
 * is rebuilt from the pages at start-up (D-53), so remove never takes back a coin that left the
 * locker (D-54), a put listing a coin twice is refused (D-56) and unissued coins never count (D-57).
 */
final class LockerCommands {
    static final int GROUP = 8;
    static final int PUT = 82;
    static final int PEEK = 83;
    static final int REMOVE = 84;
    static final int PUT_MULTIPLE = 88;

    private static final int KEY = CoinReplies.KEY;
    private static final int COIN = CoinReplies.COIN;
    private static final int REMOVE_RECORD = COIN + KEY;
    /** Smallest locker of 8/88: {@code nc(2) ‖ one coin ‖ SU ‖ LK}. */
    private static final int MIN_MULTI_LOCKER = 2 + COIN + 2 * KEY;

    private final CoinPages pages;
    private final LockerIndex index;
    final CommandHandler put = this::put;
    final CommandHandler peek = this::peek;
    final CommandHandler remove = this::remove;
    final CommandHandler putMultiple = this::putMultiple;

    LockerCommands(CoinPages pages, LockerIndex index) {
        this.pages = pages;
        this.index = index;
    }

    /** 8/82: n × {@code den ‖ SN}, then SU(16) ‖ LK(16) → 241 (all coins now hold LK), 242, 40, 198 or 199. */
    CommandResult put(CommandRequest req) throws Exception {
        CommandResult bad = CoinReplies.checkSize(req, COIN + 2 * KEY, 2 * KEY, COIN);
        if (bad != null) {
            return bad;
        }
        byte[] p = req.payloadArray();
        int off = req.payloadOffset();
        int n = (req.payloadLength() - 2 * KEY) / COIN;
        int suAt = off + n * COIN;
        List<CoinPages.Coin> coins = CoinReplies.coins(p, off, n, COIN);
        if (!CoinReplies.allValid(coins)) {
            return CommandResult.of(StatusCode.ERROR_INVALID_SN_OR_DENOMINATION);
        }
        if (CoinReplies.hasRepeats(coins)) {
            return CommandResult.of(StatusCode.ERROR_INVALID_PARAMETER);
        }
        return refreshed(pages.update(coins, view -> {
            for (CoinPages.Coin c : coins) {
                if (!view.exists(c)) {
                    return CommandResult.of(StatusCode.ERROR_INVALID_SN_OR_DENOMINATION);
                }
            }
            if (!sumMatches(view, coins, p, suAt)) {
                return CommandResult.of(StatusCode.STATUS_ALL_FAIL);
            }
            if (!LockerKey.hasLockerTail(p, suAt + KEY)) {
                return CommandResult.of(StatusCode.ERROR_INVALID_PAN); // 199, checked only after the sum
            }
            for (CoinPages.Coin c : coins) {
                view.setAn(c, p, suAt + KEY);
            }
            return CommandResult.of(StatusCode.STATUS_ALL_PASS);
        }));
    }

    /** 8/83: LK(16) → 241 with m × {@code den ‖ SN} (ascending den, then SN), or 242 for an empty/unknown locker. */
    CommandResult peek(CommandRequest req) throws Exception {
        if (!req.hasBody()) {
            return CommandResult.of(StatusCode.ERROR_EMPTY_REQUEST);
        }
        if (req.payloadLength() != KEY) {
            return CommandResult.of(StatusCode.ERROR_INVALID_PACKET_LENGTH);
        }
        long[] coins = index.coins(req.payloadArray(), req.payloadOffset());
        if (coins.length == 0) {
            return CommandResult.of(StatusCode.STATUS_ALL_FAIL);
        }
        byte[] out = new byte[coins.length * COIN];
        for (int i = 0; i < coins.length; i++) {
            CoinPages.Coin c = CoinPages.Coin.fromOrder(coins[i]);
            out[i * COIN] = (byte) c.den();
            Bytes.putU32(out, i * COIN + 1, c.sn());
        }
        return CommandResult.of(StatusCode.STATUS_ALL_PASS, out);
    }

    /**
     * 8/84: LK(16), then n × {@code den ‖ SN ‖ newAN}. Each coin whose stored AN is LK gets newAN; the
     * reply carries {@code floor(n/8) + 1} bitmap bytes on 241, 242 and 243 alike (D-58, kept for
     * byte-identical replies), and no body when the locker is unknown.
     */
    CommandResult remove(CommandRequest req) throws Exception {
        CommandResult bad = CoinReplies.checkSize(req, KEY + REMOVE_RECORD, KEY, REMOVE_RECORD);
        if (bad != null) {
            return bad;
        }
        byte[] p = req.payloadArray();
        int off = req.payloadOffset();
        int n = (req.payloadLength() - KEY) / REMOVE_RECORD;
        boolean lockerKey = LockerKey.hasLockerTail(p, off);
        List<CoinPages.Coin> coins = CoinReplies.coins(p, off + KEY, n, REMOVE_RECORD);
        return refreshed(pages.update(coins, view -> {
            boolean[] moved = new boolean[n];
            for (int i = 0; i < n; i++) {
                CoinPages.Coin c = coins.get(i);
                // membership is the stored AN itself (D-54); an unknown den/SN is just "not in it"
                if (lockerKey && view.anEquals(c, p, off)) {
                    view.setAn(c, p, off + KEY + i * REMOVE_RECORD + COIN);
                    moved[i] = true;
                }
            }
            int count = CoinReplies.count(moved);
            if (count == 0 && (!lockerKey || index.coins(p, off).length == 0)) {
                return CommandResult.of(StatusCode.STATUS_ALL_FAIL);
            }
            StatusCode s = count == n ? StatusCode.STATUS_ALL_PASS
                    : count == 0 ? StatusCode.STATUS_ALL_FAIL : StatusCode.STATUS_MIXED;
            return CommandResult.of(s, CoinReplies.bitmap(moved, n / 8 + 1));
        }));
    }

    /** One locker of an 8/88 request: its coins and where its SU and LK are. */
    private record Locker(List<CoinPages.Coin> coins, int suAt) {
    }

    /**
     * 8/88: nl(1), then nl × ({@code nc(2) ‖ nc × (den ‖ SN) ‖ SU ‖ LK}). Each locker is judged alone;
     * all pass → 241, none → 242, else 243 with {@code ceil(nl/8)} bytes, one bit per locker.
     */
    CommandResult putMultiple(CommandRequest req) throws Exception {
        if (!req.hasBody()) {
            return CommandResult.of(StatusCode.ERROR_EMPTY_REQUEST);
        }
        byte[] p = req.payloadArray();
        int off = req.payloadOffset();
        int len = req.payloadLength();
        if (len < 1) {
            return CommandResult.of(StatusCode.ERROR_INVALID_PACKET_LENGTH);
        }
        int nl = p[off] & 0xFF;
        if (nl == 0) {
            return CommandResult.of(StatusCode.ERROR_INVALID_PARAMETER);
        }
        if (len < 1 + nl * MIN_MULTI_LOCKER) {
            return CommandResult.of(StatusCode.ERROR_INVALID_PACKET_LENGTH);
        }
        List<Locker> lockers = new ArrayList<>(nl);
        List<CoinPages.Coin> all = new ArrayList<>();
        int pos = 1;
        for (int k = 0; k < nl; k++) {
            if (pos + 2 > len) {
                return CommandResult.of(StatusCode.ERROR_INVALID_PACKET_LENGTH);
            }
            int nc = Bytes.u16(p, off + pos);
            int end = pos + 2 + nc * COIN + 2 * KEY;
            if (end > len) {
                return CommandResult.of(StatusCode.ERROR_INVALID_PACKET_LENGTH);
            }
            List<CoinPages.Coin> coins = CoinReplies.coins(p, off + pos + 2, nc, COIN);
            lockers.add(new Locker(coins, off + pos + 2 + nc * COIN));
            all.addAll(coins);
            pos = end;
        }
        if (pos != len) {
            return CommandResult.of(StatusCode.ERROR_INVALID_PACKET_LENGTH); // bytes after the last locker
        }
        return refreshed(pages.update(all, view -> {
            boolean[] pass = new boolean[nl];
            for (int k = 0; k < nl; k++) {
                Locker l = lockers.get(k);
                if (l.coins().isEmpty() || !CoinReplies.allValid(l.coins()) || CoinReplies.hasRepeats(l.coins())
                        || !LockerKey.hasLockerTail(p, l.suAt() + KEY)) {
                    continue;
                }
                boolean known = true;
                for (CoinPages.Coin c : l.coins()) {
                    known &= view.exists(c);
                }
                // lockers in request order: a coin moved by an earlier locker no longer has the AN its SU used
                if (!known || !sumMatches(view, l.coins(), p, l.suAt())) {
                    continue;
                }
                for (CoinPages.Coin c : l.coins()) {
                    view.setAn(c, p, l.suAt() + KEY);
                }
                pass[k] = true;
            }
            return CoinReplies.outcome(pass);
        }));
    }

    /** Brings the index up to date with this command's writes now, on the worker, not on a later I/O thread. */
    private CommandResult refreshed(CommandResult r) {
        index.refreshQuietly();
        return r;
    }

    /** Every coin issued (D-57) and the XOR of their stored ANs equals {@code p[suAt..suAt+16)} (constant time). */
    private static boolean sumMatches(CoinPages.Pages view, List<CoinPages.Coin> coins, byte[] p, int suAt) {
        byte[] acc = new byte[KEY];
        boolean issued = true;
        for (CoinPages.Coin c : coins) {
            issued &= view.issued(c);
            view.xorAn(c, acc);
        }
        return MessageDigest.isEqual(acc, Arrays.copyOfRange(p, suAt, suAt + KEY)) && issued;
    }
}
