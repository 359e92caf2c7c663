package io.raida.protocol.client;

import io.raida.protocol.internal.Bytes;
import io.raida.protocol.RequestHeader;
import io.raida.protocol.ResponseHeader;
import io.raida.protocol.transport.RaidaTransportException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Assembles one TCP reply from the bytes a transport receives, so every client transport frames
 * replies by the same rules (wire-format §9.3, transport.md §6). Not thread-safe: one per connection.
 *
 * <p>Both header formats carry the status at byte 2 and the body size at bytes 9..11, so the first
 * 12 bytes decide. The header is 32 bytes for a request with a 32-byte header (types 0/1/2); after a
 * 48-byte request (types 4/5) it is 48 bytes, except for the early header errors 255 and 2..7
 * (§2), which the reference answers with a 32-byte header (D-9) while other servers may use 48.
 * For those the length is known only when 48 + size bytes have arrived; otherwise the reply ends
 * when the server closes, and the header size is {@code total − size}.
 *
 * <p>The end of the connection: an orderly close (EOF) ends the reply with what arrived. A reset
 * (the reference closes with unread request bytes, and the kernel sends RST: D-23) is an error
 * only when what arrived is not already a complete reply by its own framing (header + declared size).
 * A reply above {@code maxResponseSize} fails the call.
 */
public final class TcpReplyReader {
    /** Bytes needed before anything is known: status at 2, size at 9..11. */
    public static final int PREFIX_SIZE = 12;

    private final int requestHeaderSize;
    private final int maxResponseSize;
    private final String peer;
    private byte[] in = new byte[256];
    private int len;

    /**
     * @param requestHeaderSize the header size of the request sent (32 or 48), or 0 for a raw
     *                          exchange that reads until the server closes
     * @param maxResponseSize   the largest reply accepted
     * @param peer              names the server in error messages
     */
    public TcpReplyReader(int requestHeaderSize, int maxResponseSize, String peer) {
        if (requestHeaderSize != 0 && requestHeaderSize != RequestHeader.LEGACY_SIZE
                && requestHeaderSize != RequestHeader.MODERN_SIZE) {
            throw new IllegalArgumentException("request header size must be 32, 48 or 0 (raw), got " + requestHeaderSize);
        }
        this.requestHeaderSize = requestHeaderSize;
        this.maxResponseSize = maxResponseSize;
        this.peer = peer;
    }

    /**
     * Bytes received so far.
     *
     * @return the byte count
     */
    public int received() {
        return len;
    }

    /**
     * Free space to read into (at least one byte), backed by this reader; after reading {@code n}
     * bytes into it, call {@link #advance(int)}.
     *
     * @return the buffer to read into
     * @throws RaidaTransportException if the reply already fills {@code maxResponseSize}
     */
    public ByteBuffer room() {
        if (len == in.length) {
            if (len > maxResponseSize) {
                throw tooLarge(len);
            }
            in = Arrays.copyOf(in, (int) Math.min((long) in.length * 2, maxResponseSize + 1L));
        }
        return ByteBuffer.wrap(in, len, in.length - len);
    }

    /**
     * Records {@code n} bytes read into {@link #room()}.
     *
     * @param n the bytes read
     * @return the complete reply once its framing says it is complete, else {@code null}
     * @throws RaidaTransportException if the reply declares or reaches more than {@code maxResponseSize}
     */
    public byte[] advance(int n) {
        len += n;
        return check();
    }

    /**
     * Appends received bytes.
     *
     * @param src the array holding the bytes
     * @param off where they start
     * @param n how many
     * @return the complete reply once its framing says it is complete, else {@code null}
     * @throws RaidaTransportException if the reply declares or reaches more than {@code maxResponseSize}
     */
    public byte[] feed(byte[] src, int off, int n) {
        if ((long) len + n > maxResponseSize + 1L) {
            throw tooLarge((long) len + n);
        }
        if (len + n > in.length) {
            in = Arrays.copyOf(in, (int) Math.min(maxResponseSize + 1L, Math.max(in.length * 2L, len + n)));
        }
        System.arraycopy(src, off, in, len, n);
        len += n;
        return check();
    }

    private byte[] check() {
        if (len > maxResponseSize) {
            throw tooLarge(len);
        }
        if (requestHeaderSize == 0) {
            return null;
        }
        int total = expectedLength(in, 0, len, requestHeaderSize);
        if (total < 0) {
            return null;
        }
        if (total > maxResponseSize) {
            throw new RaidaTransportException("reply from " + peer + " declares " + total
                    + " bytes, above ClientOptions.maxResponseSize " + maxResponseSize);
        }
        return len >= total ? Arrays.copyOf(in, total) : null;
    }

    private RaidaTransportException tooLarge(long n) {
        return new RaidaTransportException("reply from " + peer + " exceeds " + maxResponseSize
                + " bytes (ClientOptions.maxResponseSize; " + n + " received)");
    }

    /**
     * The server closed the connection in order.
     *
     * @return what arrived (the parser checks it)
     * @throws RaidaTransportException if nothing arrived
     */
    public byte[] onEof() {
        if (len == 0) {
            throw new RaidaTransportException(peer + " closed the TCP connection without a reply");
        }
        return Arrays.copyOf(in, len);
    }

    /**
     * The connection failed while a reply was awaited (typically a reset).
     *
     * @param cause the exception the connection failed with
     * @return the reply, when what arrived is complete by its own framing (a server that writes its
     *         reply and then closes with unread input makes the kernel send RST: D-23)
     * @throws RaidaTransportException otherwise
     */
    public byte[] onReset(IOException cause) {
        if (isSelfFramed(in, len)) {
            return Arrays.copyOf(in, len);
        }
        throw new RaidaTransportException("TCP connection to " + peer + " failed after " + len
                + " reply bytes, before a complete reply: " + cause.getMessage(), cause);
    }

    /** Whether {@code len} bytes hold exactly one reply: a 32- or 48-byte header plus its declared size. */
    static boolean isSelfFramed(byte[] b, int len) {
        if (len < ResponseHeader.LEGACY_SIZE) {
            return false;
        }
        int size = Bytes.u24(b, 9);
        return len == ResponseHeader.LEGACY_SIZE + size || len == ResponseHeader.MODERN_SIZE + size;
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
     * records the encryption type: such replies may carry no echo or signature (or stale ones, D-10),
     * and may have a 32-byte header after a 48-byte request (D-9).
     *
     * @param status the status byte
     * @return {@code true} for 255 and 2..7
     */
    public static boolean isEarlyHeaderError(int status) {
        return status == 255 || (status >= 2 && status <= 7);
    }
}
