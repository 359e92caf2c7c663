package io.raida.protocol.client;

import io.raida.protocol.Bytes;
import io.raida.protocol.RequestHeader;
import io.raida.protocol.ResponseHeader;

/**
 * Tells a TCP client when a response is complete (wire-format §9.3), so every transport frames
 * replies by the same rule.
 *
 * <p>Both header formats carry the status at byte 2 and the body size at bytes 9..11, so the first
 * 12 bytes decide. The header is 32 bytes for a request with a 32-byte header (types 0/1/2); after a
 * 48-byte request (types 4/5) it is 48 bytes, except for the early header errors 255 and 2..7
 * (§2), which the reference answers with a 32-byte header while other servers may still use 48.
 * For those the length is known only when 48 + size bytes have arrived; otherwise the reply ends at
 * EOF (the server always closes after its reply, transport.md), and {@link ResponseParser} then
 * finds the header size from {@code total − size}. The total is always header + size.
 */
public final class ResponseFraming {
    /** Bytes needed before anything is known: status at 2, size at 9..11. */
    public static final int PREFIX_SIZE = 12;

    private ResponseFraming() {
    }

    /**
     * @param buf               received bytes
     * @param off               where the response starts in {@code buf}
     * @param available         how many response bytes have been received so far
     * @param requestHeaderSize the header size of the request that was sent (32 or 48)
     * @return the total response length once it is known (it may exceed {@code available}: read on
     *         until that many bytes are in), or -1 if more bytes, or EOF, are needed to know it
     * @throws IllegalArgumentException if {@code requestHeaderSize} is neither 32 nor 48
     */
    public static int expectedLength(byte[] buf, int off, int available, int requestHeaderSize) {
        if (requestHeaderSize != RequestHeader.LEGACY_SIZE && requestHeaderSize != RequestHeader.MODERN_SIZE) {
            throw new IllegalArgumentException("request header size must be 32 or 48, got " + requestHeaderSize);
        }
        if (available < PREFIX_SIZE) {
            return -1;
        }
        int size = Bytes.u24(buf, off + 9);
        if (requestHeaderSize == RequestHeader.LEGACY_SIZE) {
            return ResponseHeader.LEGACY_SIZE + size;
        }
        if (!isEarlyHeaderError(Bytes.u8(buf, off + 2))) {
            return ResponseHeader.MODERN_SIZE + size;
        }
        int modern = ResponseHeader.MODERN_SIZE + size;
        return available >= modern ? modern : -1;
    }

    /**
     * Whether {@code status} is one of the header errors (255, 2..7) raised before the server
     * records the encryption type: such replies carry no echo or signature, and may have a 32-byte
     * header after a 48-byte request.
     */
    public static boolean isEarlyHeaderError(int status) {
        return status == 255 || (status >= 2 && status <= 7);
    }
}
