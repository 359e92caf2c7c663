package io.raida.protocol.client;

import io.raida.protocol.Bytes;
import io.raida.protocol.ResponseHeader;

import java.util.List;
import java.util.function.Function;

/**
 * Decides which request waiting on a shared UDP socket a datagram answers, one rule for every
 * client transport.
 *
 * <p>A reply belongs to the request it {@linkplain ClientRequest#matches matches} (RAIDA id, echo
 * bytes, challenge signature). Early header errors (255, 2..7; wire-format §9.3) carry none of
 * those: the server answers them before it records the echo, so their echo and signature are 0
 * and byte 0 is the server's own id, which differs from the request's when the error is a wrong
 * RAIDA id. Such a reply is handed to the request only when it is the single one waiting for that
 * address; with several waiting it cannot be attributed and they time out, rather than one of
 * them being failed with another's error.
 */
public final class UdpReplyMatcher {
    private UdpReplyMatcher() {
    }

    /**
     * @param waiting   the calls waiting for a reply from the datagram's sender, oldest first
     * @param requestOf the request of a call, or {@code null} for a raw exchange that takes the
     *                  first datagram no request claims
     * @return the index in {@code waiting} of the call the datagram answers, or -1 if none
     */
    public static <T> int select(List<T> waiting, Function<? super T, ClientRequest> requestOf, byte[] datagram,
            int off, int len) {
        int raw = -1;
        int requests = 0;
        int only = -1;
        for (int i = 0; i < waiting.size(); i++) {
            ClientRequest r = requestOf.apply(waiting.get(i));
            if (r == null) {
                raw = raw < 0 ? i : raw;
            } else if (r.matches(datagram, off, len)) {
                return i;
            } else {
                requests++;
                only = i;
            }
        }
        if (raw >= 0) {
            return raw;
        }
        return requests == 1 && isUnattributedEarlyError(datagram, off, len) ? only : -1;
    }

    /**
     * Whether a datagram is an early header error without body, echo or signature: a 32-byte
     * header, status 255 or 2..7, size 0, echo 0 and an all-zero signature.
     */
    public static boolean isUnattributedEarlyError(byte[] datagram, int off, int len) {
        if (len != ResponseHeader.LEGACY_SIZE || !ResponseFraming.isEarlyHeaderError(Bytes.u8(datagram, off + 2))
                || Bytes.u24(datagram, off + 9) != 0 || Bytes.u16(datagram, off + 6) != 0) {
            return false;
        }
        for (int i = 16; i < 32; i++) {
            if (datagram[off + i] != 0) {
                return false;
            }
        }
        return true;
    }
}
