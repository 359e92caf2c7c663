package io.raida.integrity;

import io.raida.protocol.internal.Bytes;
import io.raida.protocol.server.CommandRequest;
import io.raida.protocol.server.CommandResult;
import io.raida.protocol.StatusCode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Size checks, coin parsing and the 241/242/243 replies shared by the coin commands. */
final class CoinReplies {
    /** Bytes of {@code den(1) ‖ SN(4)}. */
    static final int COIN = 5;
    /** Bytes of an AN, PAN, XOR, DELTA, SU or LK. */
    static final int KEY = 16;

    private CoinReplies() {
    }

    /**
     * The body_size rules of auth.md §2 / lockers.md §2 on the payload length (D-14): no body → 36,
     * payload shorter than {@code min} → 16, {@code (length − fixed) % record ≠ 0} → 39; null if fine.
     */
    static CommandResult checkSize(CommandRequest req, int min, int fixed, int record) {
        if (!req.hasBody()) {
            return CommandResult.of(StatusCode.ERROR_EMPTY_REQUEST);
        }
        int len = req.payloadLength();
        if (len < min) {
            return CommandResult.of(StatusCode.ERROR_INVALID_PACKET_LENGTH);
        }
        if ((len - fixed) % record != 0) {
            return CommandResult.of(StatusCode.ERROR_COINS_NOT_DIV);
        }
        return null;
    }

    /** The coin {@code den(1) ‖ SN(4)} at {@code b[off]}; den is a signed byte. */
    static CoinPages.Coin coin(byte[] b, int off) {
        return new CoinPages.Coin(b[off], Bytes.u32(b, off + 1));
    }

    /** {@code n} coins at {@code b[off]}, {@code stride} bytes apart. */
    static List<CoinPages.Coin> coins(byte[] b, int off, int n, int stride) {
        List<CoinPages.Coin> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(coin(b, off + i * stride));
        }
        return out;
    }

    /** Whether every coin has a valid den (-8..6) and SN (below 1 024 000). */
    static boolean allValid(List<CoinPages.Coin> coins) {
        for (CoinPages.Coin c : coins) {
            if (!c.valid()) {
                return false;
            }
        }
        return true;
    }

    /** Whether a coin is listed more than once (D-56: a repeated coin cancels out of an XOR proof). */
    static boolean hasRepeats(List<CoinPages.Coin> coins) {
        Set<CoinPages.Coin> seen = new HashSet<>();
        for (CoinPages.Coin c : coins) {
            if (!seen.add(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * 241 (all passed) or 242 (none) without body, else 243 with {@code ceil(n/8)} bitmap bytes, bit
     * {@code i % 8} of byte {@code i / 8} set when item {@code i} passed (auth.md §2).
     */
    static CommandResult outcome(boolean[] pass) {
        int passed = count(pass);
        if (passed == pass.length) {
            return CommandResult.of(StatusCode.STATUS_ALL_PASS);
        }
        if (passed == 0) {
            return CommandResult.of(StatusCode.STATUS_ALL_FAIL);
        }
        return CommandResult.of(StatusCode.STATUS_MIXED, bitmap(pass, (pass.length + 7) / 8));
    }

    static int count(boolean[] pass) {
        int n = 0;
        for (boolean b : pass) {
            n += b ? 1 : 0;
        }
        return n;
    }

    /** LSB-first bitmap of {@code pass} in {@code size} bytes. */
    static byte[] bitmap(boolean[] pass, int size) {
        byte[] out = new byte[size];
        for (int i = 0; i < pass.length; i++) {
            if (pass[i]) {
                out[i >>> 3] |= (byte) (1 << (i & 7));
            }
        }
        return out;
    }
}
