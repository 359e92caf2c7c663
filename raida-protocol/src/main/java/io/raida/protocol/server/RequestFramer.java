package io.raida.protocol.server;

import io.raida.protocol.RequestHeader;
import java.nio.ByteBuffer;

/**
 * Framing of one request (transport.md §2.3, §3.2): the 17-byte probe that tells the header size
 * (byte 16), the header, then exactly the body size the validated header declares. Takes only the
 * bytes the request needs, so what follows it stays in the source. The body buffer is allocated
 * only after the header passed validation and the size limit, kept across requests up to
 * {@link #RETAINED_BODY} bytes, filled once (socket → buffer) and decrypted in place.
 */
final class RequestFramer {
    /** Body buffers up to this size are kept for the next request; larger ones are released. */
    static final int RETAINED_BODY = 2_048;
    private static final byte[] EMPTY = new byte[0];

    /** What the bytes fed so far completed. */
    enum Progress { NEED_MORE, HEADER_COMPLETE, BODY_COMPLETE }

    private byte[] header;
    private byte[] body = EMPTY;
    private int headerLen;
    private int headerSize;
    private int bodySize;
    private int bodyLen;
    private boolean readingBody;

    /** Starts a new request whose header goes into {@code header} (48 bytes). */
    void reset(byte[] header) {
        this.header = header;
        headerLen = 0;
        headerSize = 0;
        bodySize = 0;
        bodyLen = 0;
        readingBody = false;
        if (body.length > RETAINED_BODY) {
            body = EMPTY;
        }
    }

    /** Reads header bytes, or body bytes once {@link #expectBody} was called; stops at each completion. */
    Progress feed(ByteBuffer src) {
        while (src.hasRemaining()) {
            if (!readingBody) {
                int target = headerSize == 0 ? RequestHeader.SIZE_PROBE : headerSize;
                int n = Math.min(target - headerLen, src.remaining());
                src.get(header, headerLen, n);
                headerLen += n;
                if (headerSize == 0 && headerLen == RequestHeader.SIZE_PROBE) {
                    headerSize = RequestFields.headerSizeOf(header[RequestFields.ENCRYPTION_TYPE] & 0xFF);
                }
                if (headerLen == headerSize) {
                    return Progress.HEADER_COMPLETE;
                }
            } else {
                int n = Math.min(bodySize - bodyLen, src.remaining());
                src.get(body, bodyLen, n);
                bodyLen += n;
                if (bodyLen == bodySize) {
                    return Progress.BODY_COMPLETE;
                }
            }
        }
        return Progress.NEED_MORE;
    }

    /**
     * Takes a whole datagram's header: false when it is too short to be answered (shorter than the
     * probe or than its header). Does not consume {@code datagram}.
     */
    boolean datagramHeader(ByteBuffer datagram) {
        int p = datagram.position();
        int len = datagram.remaining();
        if (len < RequestHeader.SIZE_PROBE) {
            return false;
        }
        int hs = RequestFields.headerSizeOf(datagram.get(p + RequestFields.ENCRYPTION_TYPE) & 0xFF);
        if (len < hs) {
            return false;
        }
        datagram.get(p, header, 0, hs);
        headerLen = hs;
        headerSize = hs;
        return true;
    }

    /** Copies a datagram's body after its header (the caller checked the length). */
    void datagramBody(ByteBuffer datagram, int size) {
        expectBody(size);
        datagram.get(datagram.position() + headerSize, body, 0, size);
        bodyLen = size;
    }

    /** The validated header declares {@code size} body bytes: allocate (if needed) and read them next. */
    void expectBody(int size) {
        bodySize = size;
        if (body.length < size) {
            body = new byte[size];
        }
        readingBody = true;
    }

    int headerSize() {
        return headerSize;
    }

    byte[] body() {
        return body;
    }

    /** Bytes still needed to finish the header or body being read. */
    int bytesWanted() {
        if (!readingBody) {
            return (headerSize == 0 ? RequestHeader.SIZE_PROBE : headerSize) - headerLen;
        }
        return bodySize - bodyLen;
    }

    int bytesReceived() {
        return headerLen + bodyLen;
    }

    int bodyCapacity() {
        return body.length;
    }
}
