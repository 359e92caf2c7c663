package io.raida.integrity;

import io.raida.protocol.server.CommandHandler;
import io.raida.protocol.server.CommandRequest;
import io.raida.protocol.server.CommandResult;
import io.raida.protocol.StatusCode;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

/**
 * The authentication commands of group 1 over the page store (auth.md §2): 1/10 detect, 1/11
 * detect_sum, 1/20 pown, 1/21 pown_sum. Sizes are checked on the payload length (D-14), so types 4/5
 * work. Differences from the reference, on purpose: a record with MFS 0 never passes (D-57); a sum
 * command listing a coin twice is refused with 198 (its AN would cancel out of the XOR, as D-56 for
 * lockers); pown_sum checks and applies under one lock of its pages. Shards 1 and 2 belong to legacy
 * back ends this handler does not have: 48 (a CC2 detect handler wraps 1/10 for shard 2).
 */
final class AuthCommands {
    static final int GROUP = 1;
    static final int DETECT = 10;
    static final int DETECT_SUM = 11;
    static final int POWN = 20;
    static final int POWN_SUM = 21;

    private static final int DETECT_RECORD = CoinReplies.COIN + CoinReplies.KEY;
    private static final int POWN_RECORD = CoinReplies.COIN + 2 * CoinReplies.KEY;

    private final CoinPages pages;
    final CommandHandler detect = this::detect;
    final CommandHandler detectSum = this::detectSum;
    final CommandHandler pown = this::pown;
    final CommandHandler pownSum = this::pownSum;

    AuthCommands(CoinPages pages) {
        this.pages = pages;
    }

    /** 1/10: n × {@code den ‖ SN ‖ AN} → 241 / 242 / 243 + bitmap. */
    CommandResult detect(CommandRequest req) throws Exception {
        CommandResult bad = checks(req, DETECT_RECORD, 0, DETECT_RECORD);
        if (bad != null) {
            return bad;
        }
        byte[] p = req.payloadArray();
        int off = req.payloadOffset();
        int n = req.payloadLength() / DETECT_RECORD;
        List<CoinPages.Coin> coins = CoinReplies.coins(p, off, n, DETECT_RECORD);
        return pages.read(coins, view -> {
            boolean[] pass = new boolean[n];
            for (int i = 0; i < n; i++) {
                pass[i] = view.anEquals(coins.get(i), p, off + i * DETECT_RECORD + CoinReplies.COIN);
            }
            return CoinReplies.outcome(pass);
        });
    }

    /** 1/20: n × {@code den ‖ SN ‖ AN ‖ PAN}; each passing coin gets AN := PAN, MFS := now. */
    CommandResult pown(CommandRequest req) throws Exception {
        CommandResult bad = checks(req, POWN_RECORD, 0, POWN_RECORD);
        if (bad != null) {
            return bad;
        }
        byte[] p = req.payloadArray();
        int off = req.payloadOffset();
        int n = req.payloadLength() / POWN_RECORD;
        List<CoinPages.Coin> coins = CoinReplies.coins(p, off, n, POWN_RECORD);
        return pages.update(coins, view -> {
            boolean[] pass = new boolean[n];
            for (int i = 0; i < n; i++) {
                int at = off + i * POWN_RECORD + CoinReplies.COIN;
                // in request order: a coin listed again must prove the AN the earlier listing set
                if (view.anEquals(coins.get(i), p, at)) {
                    view.setAn(coins.get(i), p, at + CoinReplies.KEY);
                    pass[i] = true;
                }
            }
            return CoinReplies.outcome(pass);
        });
    }

    /** 1/11: n × {@code den ‖ SN}, then XOR(16) → 241 when the stored ANs XOR to it, else 242. */
    CommandResult detectSum(CommandRequest req) throws Exception {
        return sum(req, CoinReplies.KEY, false);
    }

    /** 1/21: n × {@code den ‖ SN}, then XOR(16) ‖ DELTA(16); on 241 every AN ^= DELTA, MFS := now. */
    CommandResult pownSum(CommandRequest req) throws Exception {
        return sum(req, 2 * CoinReplies.KEY, true);
    }

    private CommandResult sum(CommandRequest req, int tail, boolean apply) throws Exception {
        CommandResult bad = checks(req, CoinReplies.COIN + tail, tail, CoinReplies.COIN);
        if (bad != null) {
            return bad;
        }
        byte[] p = req.payloadArray();
        int off = req.payloadOffset();
        int n = (req.payloadLength() - tail) / CoinReplies.COIN;
        int xorAt = off + n * CoinReplies.COIN;
        List<CoinPages.Coin> coins = CoinReplies.coins(p, off, n, CoinReplies.COIN);
        if (!CoinReplies.allValid(coins)) {
            return CommandResult.of(StatusCode.ERROR_INVALID_SN_OR_DENOMINATION);
        }
        if (CoinReplies.hasRepeats(coins)) {
            return CommandResult.of(StatusCode.ERROR_INVALID_PARAMETER);
        }
        CoinPages.Transaction<CommandResult> tx = view -> {
            byte[] acc = new byte[CoinReplies.KEY];
            boolean issued = true;
            for (CoinPages.Coin c : coins) {
                if (!view.exists(c)) {
                    return CommandResult.of(StatusCode.ERROR_INVALID_SN_OR_DENOMINATION);
                }
                issued &= view.issued(c);
                view.xorAn(c, acc);
            }
            boolean match = MessageDigest.isEqual(acc, Arrays.copyOfRange(p, xorAt, xorAt + CoinReplies.KEY));
            if (!issued || !match) {
                return CommandResult.of(StatusCode.STATUS_ALL_FAIL);
            }
            if (apply) {
                for (CoinPages.Coin c : coins) {
                    view.xorIntoAn(c, p, xorAt + CoinReplies.KEY);
                }
            }
            return CommandResult.of(StatusCode.STATUS_ALL_PASS);
        };
        return apply ? pages.update(coins, tx) : pages.read(coins, tx);
    }

    /** Size rules, then the shard: 0 and 3 are this RAIDA's records, 1 and 2 legacy back ends (48). */
    private static CommandResult checks(CommandRequest req, int min, int fixed, int record) {
        CommandResult bad = CoinReplies.checkSize(req, min, fixed, record);
        if (bad != null) {
            return bad;
        }
        int shard = req.shardId();
        if (shard == 1 || shard == 2) {
            return CommandResult.of(StatusCode.ERROR_LEGACY_DB);
        }
        return null;
    }
}
