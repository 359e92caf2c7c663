package io.raida.protocol.server;

import io.raida.protocol.CommandGroup;
import io.raida.protocol.Crc32;
import io.raida.protocol.Denominations;
import io.raida.protocol.EncryptionType;
import io.raida.protocol.RequestHeader;
import io.raida.protocol.ResponseHeader;
import io.raida.protocol.StatusCode;
import io.raida.protocol.Transport;
import io.raida.protocol.crypto.Crypto;
import io.raida.protocol.crypto.KeystreamMode;
import io.raida.protocol.internal.Bytes;
import io.raida.protocol.server.CoinKeyResolver;
import io.raida.protocol.server.CommandRegistry;
import io.raida.protocol.server.CommandRequest;
import io.raida.protocol.server.CommandResult;
import io.raida.protocol.server.ServerCore;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The incremental request decoder and connection state machine of transport.md §2.3, shared by
 * every transport. One instance per TCP connection or pooled UDP context; {@link #reset} zeroes
 * all per-request state (D-10) so an instance can be reused.
 *
 * <pre>
 * WANT_READ_HEADER --17 bytes--> size known (32/48) --header--> validate
 *     invalid            -> WANT_WRITE (error response built)
 *     body_size = 0      -> PROCESSING
 *     otherwise          -> WANT_READ_BODY --body--> check/decrypt -> PROCESSING | WANT_WRITE
 * PROCESSING --process()--> WANT_WRITE --complete()--> DONE
 * </pre>
 *
 * <p>{@link #feed} accepts chunks of any size and consumes only the bytes the request needs. The
 * body buffer is allocated once the header is valid and the declared size is within the limit; the
 * body is copied exactly once (socket → buffer) and decrypted in place. Not thread-safe: the owner
 * (I/O thread, then one worker during {@link #process()}) hands it over with a happens-before edge.
 * No input makes it throw.
 */
public final class FrameDecoder {

    /** Connection states (transport.md §2.3). */
    public enum State { WANT_READ_HEADER, WANT_READ_BODY, PROCESSING, WANT_WRITE, DONE }

    /** What to do with a datagram after {@link #decodeDatagram}. */
    public enum DatagramVerdict {
        /** Too short to be answered (&lt; 17 bytes or shorter than its header): send nothing. */
        DROP,
        /** Valid: call {@link #process()} (inline if {@link #isNonBlocking()}, else on a worker). */
        PROCESS,
        /** Invalid: an error response is ready in {@link #response()}. */
        RESPOND
    }

    /** Body buffers up to this size are kept for the next request; larger ones are released. */
    static final int RETAINED_BODY = 2_048;
    private static final byte[] EMPTY = new byte[0];
    private static final CommandResult INTERNAL = CommandResult.of(StatusCode.ERROR_INTERNAL);

    private final ServerCore core;
    private final byte[] header = new byte[RequestHeader.MODERN_SIZE];
    private final byte[] signature = new byte[Crypto.CHALLENGE_SIZE_BYTES];
    private final View view = new View();

    private State state = State.WANT_READ_HEADER;
    private Transport transport = Transport.TCP;
    private InetSocketAddress remote;
    private long startNanos;

    private int headerLen;
    private int headerSize;
    private byte[] body = EMPTY;
    private int bodySize;
    private int bodyLen;

    private int group;
    private int type;
    private int echo;
    private int denomination;
    private long serial;
    private boolean groupRecorded;
    private boolean echoRecorded;
    private boolean coinRecorded;
    private boolean signatureSet;
    private int responseHeaderSize = ResponseHeader.LEGACY_SIZE;
    private byte[] an1;
    private byte[] key32;
    private CommandRegistry.Registration registration;
    private int payloadOff;
    private int payloadLen;

    private byte[] out;
    private int status;

    FrameDecoder(ServerCore core) {
        this.core = core;
        reset(Transport.TCP, null, System.nanoTime());
    }

    /**
     * Prepares for a new request, clearing every field of the previous one.
     *
     * @param startNanos {@link System#nanoTime()} at accept (TCP) or datagram pick-up (UDP); the
     *                   response's execution time is measured from here
     */
    public void reset(Transport transport, InetSocketAddress remote, long startNanos) {
        this.transport = transport;
        this.remote = remote;
        this.startNanos = startNanos;
        state = State.WANT_READ_HEADER;
        Arrays.fill(header, (byte) 0);
        Arrays.fill(signature, (byte) 0);
        headerLen = 0;
        headerSize = 0;
        if (body.length > RETAINED_BODY) {
            body = EMPTY;
        }
        bodySize = 0;
        bodyLen = 0;
        group = 0;
        type = 0;
        echo = 0;
        denomination = 0;
        serial = 0;
        groupRecorded = false;
        echoRecorded = false;
        coinRecorded = false;
        signatureSet = false;
        responseHeaderSize = ResponseHeader.LEGACY_SIZE;
        an1 = null;
        key32 = null;
        registration = null;
        payloadOff = 0;
        payloadLen = 0;
        out = null;
        status = 0;
    }

    public State state() {
        return state;
    }

    /** True while the decoder still wants request bytes. */
    public boolean isReading() {
        return state == State.WANT_READ_HEADER || state == State.WANT_READ_BODY;
    }

    /** Bytes still needed to finish the current read state (0 when not reading). */
    public int bytesWanted() {
        if (state == State.WANT_READ_HEADER) {
            return (headerSize == 0 ? RequestHeader.SIZE_PROBE : headerSize) - headerLen;
        }
        return state == State.WANT_READ_BODY ? bodySize - bodyLen : 0;
    }

    /** Request bytes received so far (header + body). */
    public int bytesReceived() {
        return headerLen + bodyLen;
    }

    /** Length of the body buffer currently held (tests check it never exceeds the body limit). */
    public int bodyCapacity() {
        return body.length;
    }

    /** The transport given to {@link #reset}. */
    public Transport transport() {
        return transport;
    }

    /** The peer given to {@link #reset} (may be null). */
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /** {@link System#nanoTime()} given to {@link #reset}. */
    public long startNanos() {
        return startNanos;
    }

    /**
     * Consumes stream bytes from {@code src} (TCP). Reads at most what the request still needs, so
     * bytes after the request stay in {@code src}. Returns the number of bytes consumed.
     */
    public int feed(ByteBuffer src) {
        int start = src.position();
        while (src.hasRemaining() && isReading()) {
            if (state == State.WANT_READ_HEADER) {
                int target = headerSize == 0 ? RequestHeader.SIZE_PROBE : headerSize;
                int n = Math.min(target - headerLen, src.remaining());
                src.get(header, headerLen, n);
                headerLen += n;
                if (headerSize == 0 && headerLen == RequestHeader.SIZE_PROBE) {
                    headerSize = EncryptionType.headerSizeFor(header[16] & 0xFF);
                }
                if (headerLen == headerSize) {
                    onHeader();
                }
            } else {
                int n = Math.min(bodySize - bodyLen, src.remaining());
                src.get(body, bodyLen, n);
                bodyLen += n;
                if (bodyLen == bodySize) {
                    onBody();
                }
            }
        }
        return src.position() - start;
    }

    /** {@link #feed(ByteBuffer)} for an array region. */
    public int feed(byte[] src, int off, int len) {
        return feed(ByteBuffer.wrap(src, off, len));
    }

    /**
     * Decodes one whole datagram (UDP, transport.md §3.2 steps 4–9). Bytes after
     * {@code header + body_size} are ignored. Does not consume {@code datagram}.
     *
     * @param truncated true if the datagram was longer than the receive buffer (D-22): once the
     *                  header is valid it is answered with 16 instead of being misread
     */
    public DatagramVerdict decodeDatagram(ByteBuffer datagram, boolean truncated) {
        int p = datagram.position();
        int len = datagram.remaining();
        if (len < RequestHeader.SIZE_PROBE) {
            core.stats().recordDrop();
            return DatagramVerdict.DROP;
        }
        int hs = EncryptionType.headerSizeFor(datagram.get(p + 16) & 0xFF);
        if (len < hs) {
            core.stats().recordDrop();
            return DatagramVerdict.DROP;
        }
        datagram.get(p, header, 0, hs);
        headerLen = hs;
        headerSize = hs;
        int st = validateHeader();
        if (st == 0 && (truncated || len - hs < bodySize)) {
            st = StatusCode.ERROR_INVALID_PACKET_LENGTH.code();
        }
        if (st == 0 && bodySize > 0) {
            ensureBody();
            datagram.get(p + hs, body, 0, bodySize);
            bodyLen = bodySize;
            st = validateBody();
        }
        if (st != 0) {
            fail(st);
            return DatagramVerdict.RESPOND;
        }
        state = State.PROCESSING;
        return DatagramVerdict.PROCESS;
    }

    /** True if the request's handler declared itself non-blocking (may run on the I/O thread). */
    public boolean isNonBlocking() {
        return registration != null && registration.nonBlocking();
    }

    /** The command group of a validated request (0 before validation passed the handler check). */
    public int commandGroup() {
        return group;
    }

    /**
     * Runs the handler and builds the response (PROCESSING → WANT_WRITE). A handler that throws
     * (or returns null) is answered with 252; nothing escapes.
     */
    public void process() {
        if (state != State.PROCESSING) {
            throw new IllegalStateException("process() needs state PROCESSING, state is " + state);
        }
        CommandResult r;
        try {
            core.stats().recordCommand(registration.group(), registration.code());
            r = registration.handler().handle(view);
            if (r == null) {
                throw new IllegalStateException("handler returned null");
            }
        } catch (Throwable t) {
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            core.handlerFailed(registration, t, remote);
            r = INTERNAL;
        }
        byte[] payload = r.payload();
        long replyBody = payload.length == 0 ? 0 : payload.length + 2L
                + (responseHeaderSize == ResponseHeader.MODERN_SIZE ? Crypto.HMAC_SIZE : 0);
        if (replyBody > ResponseHeader.MAX_BODY_SIZE) {
            // the 24-bit size field (bytes 9..11) cannot describe this body: never send a size that lies
            core.handlerFailed(registration, new IllegalStateException("reply payload of " + payload.length
                    + " bytes gives a body of " + replyBody + " bytes, above the 24-bit size field's "
                    + ResponseHeader.MAX_BODY_SIZE), remote);
            buildResponse(StatusCode.ERROR_INTERNAL.code(), EMPTY);
        } else if (transport == Transport.UDP && responseHeaderSize + replyBody > ServerCore.MAX_UDP_REPLY) {
            buildResponse(StatusCode.ERROR_INVALID_PACKET_LENGTH.code(), EMPTY);
        } else {
            buildResponse(r.status(), payload);
        }
        state = State.WANT_WRITE;
    }

    /**
     * Answers a request that cannot be processed (e.g. the worker queue is full) with an error
     * status and no body (PROCESSING → WANT_WRITE).
     */
    public void respondWithError(StatusCode statusCode) {
        if (state != State.PROCESSING) {
            throw new IllegalStateException("respondWithError() needs state PROCESSING, state is " + state);
        }
        fail(statusCode.code());
    }

    /** The response status (valid in WANT_WRITE and DONE). */
    public int status() {
        return status;
    }

    /** The response bytes as a buffer over the internal array (valid in WANT_WRITE). */
    public ByteBuffer response() {
        return ByteBuffer.wrap(responseArray());
    }

    /** The internal response array; all of it is the response. Do not modify. */
    public byte[] responseArray() {
        if (out == null) {
            throw new IllegalStateException("no response in state " + state);
        }
        return out;
    }

    /** A copy of the response bytes. */
    public byte[] responseCopy() {
        return responseArray().clone();
    }

    /** The response was written (WANT_WRITE → DONE). */
    public void complete() {
        state = State.DONE;
    }

    private void onHeader() {
        int st = validateHeader();
        if (st != 0) {
            fail(st);
        } else if (bodySize == 0) {
            state = State.PROCESSING;
        } else {
            ensureBody();
            state = State.WANT_READ_BODY;
        }
    }

    private void onBody() {
        int st = validateBody();
        if (st != 0) {
            fail(st);
        } else {
            state = State.PROCESSING;
        }
    }

    private void ensureBody() {
        if (body.length < bodySize) {
            body = new byte[bodySize];
        }
    }

    /** Wire-format §2–§4 in the reference order; 0 when valid. Records fields as the reference does. */
    private int validateHeader() {
        byte[] h = header;
        if (h[0] != 1) {
            return StatusCode.ERROR_INVALID_ROUTING.code();
        }
        if (h[1] != 0) {
            return StatusCode.ERROR_INVALID_SPLIT_ID.code();
        }
        if ((h[2] & 0xFF) != core.raidaId()) {
            return StatusCode.ERROR_INVALID_RAIDA_ID.code();
        }
        int g = h[4] & 0xFF;
        if (g > CommandGroup.MAX_GROUP) {
            return StatusCode.ERROR_INVALID_COMMAND_GROUP.code();
        }
        if ((h[3] & 0xFF) > 3) {
            return StatusCode.ERROR_INVALID_SHARD_ID.code();
        }
        registration = core.registry().lookup(g, h[5] & 0xFF);
        if (registration == null) {
            return StatusCode.ERROR_INVALID_COMMAND.code();
        }
        group = g;
        groupRecorded = true;
        if (Bytes.u16(h, 6) != core.coinId()) {
            return StatusCode.ERROR_INVALID_COIN_ID.code();
        }
        type = h[16] & 0xFF;
        responseHeaderSize = headerSize;
        EncryptionType et = EncryptionType.fromCode(type);
        if (et == null) {
            return StatusCode.ERROR_INVALID_ENCRYPTION_CODE.code();
        }
        if (headerSize == RequestHeader.LEGACY_SIZE) {
            bodySize = Bytes.u16(h, 22);
            echo = Bytes.u16(h, 30);
        } else {
            bodySize = Bytes.u16(h, 17);
            echo = Bytes.u16(h, 46);
            denomination = h[19];
            serial = Bytes.u32(h, 20);
            coinRecorded = true;
        }
        echoRecorded = true;
        int st;
        try {
            st = resolveKeys(et);
        } catch (RuntimeException e) {
            // a failing key store must not kill the connection loop: answer 252 like a failing handler
            core.resolverFailed(e, remote);
            return StatusCode.ERROR_INTERNAL.code();
        }
        if (st != 0) {
            return st;
        }
        if (bodySize == 0 && et != EncryptionType.NONE && core.requireEncryptedBody()) {
            return StatusCode.ERROR_INVALID_PACKET_LENGTH.code();
        }
        if (bodySize > core.maxBodySize()) {
            return StatusCode.ERROR_INVALID_PACKET_LENGTH.code();
        }
        return 0;
    }

    private int resolveKeys(EncryptionType et) {
        byte[] h = header;
        CoinKeyResolver keys = core.keys();
        switch (et) {
            case AES128_COIN:
                an1 = coinAn(keys, h[17], Bytes.u32(h, 18));
                return an1 == null ? StatusCode.ERROR_INVALID_ENCRYPTION.code() : 0;
            case AES128_LOCKER:
                an1 = keys.lockerAn(h, 17);
                if (an1 == null || an1.length != Crypto.AN_SIZE) {
                    an1 = null;
                    return StatusCode.ERROR_INVALID_ENCRYPTION.code();
                }
                return 0;
            case AES256_ONE_COIN:
                an1 = coinAn(keys, denomination, serial);
                if (an1 == null) {
                    return StatusCode.ERROR_ENCRYPTION_COIN_NOT_FOUND.code();
                }
                key32 = Crypto.get().modernKey(an1, null);
                return 0;
            case AES256_TWO_COINS:
                an1 = coinAn(keys, denomination, serial);
                byte[] an2 = coinAn(keys, h[24], Bytes.u32(h, 25));
                if (an1 == null || an2 == null) {
                    return StatusCode.ERROR_ENCRYPTION_COIN_NOT_FOUND.code();
                }
                key32 = Crypto.get().modernKey(an1, an2);
                return 0;
            default:
                return 0;
        }
    }

    /** D-32: only denominations -8..6 and serial numbers below 1 024 000 can name a key. */
    private static byte[] coinAn(CoinKeyResolver keys, int den, long sn) {
        if (!Denominations.isValid(den) || !Denominations.isValidSerial(sn)) {
            return null;
        }
        byte[] an = keys.coinAn(den, sn);
        return an != null && an.length == Crypto.AN_SIZE ? an : null;
    }

    /** Wire-format §6.3 in the reference order; 0 when valid. Decrypts in place. */
    private int validateBody() {
        byte[] b = body;
        int n = bodySize;
        if (n < 2) {
            return StatusCode.ERROR_INVALID_PACKET_LENGTH.code();
        }
        if (!Bytes.isTerminator(b, n - 2)) {
            return StatusCode.ERROR_INVALID_EOF.code();
        }
        Crypto crypto;
        switch (type) {
            case 0:
                if (n < 18) {
                    return StatusCode.ERROR_INVALID_PACKET_LENGTH.code();
                }
                System.arraycopy(b, 0, signature, 0, 16);
                signatureSet = true;
                if (!Crc32.checkChallenge(b, 0)) {
                    return StatusCode.ERROR_INVALID_CRC.code();
                }
                payloadOff = 16;
                payloadLen = n - 18;
                return 0;
            case 1:
            case 2:
                Crypto.get().legacyCtr(an1, header, 24, 0, b, 0, n - 2);
                if (n < 18) {
                    return StatusCode.ERROR_INVALID_PACKET_LENGTH.code();
                }
                for (int i = 0; i < 16; i++) {
                    signature[i] = (byte) (b[i] ^ an1[i]);
                }
                signatureSet = true;
                if (!Crc32.checkChallenge(b, 0)) {
                    return StatusCode.ERROR_INVALID_CRC.code();
                }
                payloadOff = 16;
                payloadLen = n - 18;
                return 0;
            default:
                if (n < 34) {
                    return StatusCode.ERROR_INVALID_PACKET_LENGTH.code();
                }
                crypto = Crypto.get();
                if (!crypto.verifyHmac(key32, b, 0, n - 34, b, n - 34)) {
                    return StatusCode.ERROR_INVALID_HMAC.code();
                }
                crypto.ctr(key32, header, 24, b, 0, n - 34);
                payloadOff = 0;
                payloadLen = n - 34;
                return 0;
        }
    }

    private void fail(int st) {
        buildResponse(st, EMPTY);
        state = State.WANT_WRITE;
    }

    /** Wire-format §9: header, encrypted body, terminator. */
    private void buildResponse(int st, byte[] payload) {
        int hs = responseHeaderSize;
        boolean modern = hs == ResponseHeader.MODERN_SIZE;
        int plen = payload.length;
        int bodyOut = plen == 0 ? 0 : plen + 2 + (modern ? Crypto.HMAC_SIZE : 0);
        byte[] o = new byte[hs + bodyOut];
        long micros = (System.nanoTime() - startNanos) / 1_000;
        o[0] = (byte) core.raidaId();
        o[2] = (byte) st;
        o[3] = (byte) (groupRecorded ? group : 0);
        Bytes.putU24(o, 9, bodyOut);
        if (!modern) {
            o[5] = 1;
            if (echoRecorded) {
                Bytes.putU16(o, 6, echo);
            }
            Bytes.putU32(o, 12, micros);
            if (signatureSet) {
                System.arraycopy(signature, 0, o, 16, 16);
            }
        } else {
            Bytes.putU32(o, 4, micros);
            o[16] = (byte) type;
            Crypto.get().randomBytes(o, 24, 22);
            o[36] &= 0x7F; // D-3: the reply IV's low counter word (bytes 36..39) cannot wrap within a reply
            if (coinRecorded) {
                o[17] = (byte) denomination;
                Bytes.putU32(o, 18, serial);
                if (type == EncryptionType.AES256_TWO_COINS.code()) {
                    System.arraycopy(header, 24, o, 24, 5);
                }
            }
            if (echoRecorded) {
                Bytes.putU16(o, 46, echo);
            }
        }
        if (plen > 0) {
            if (type == 1 || type == 2) {
                long first = core.legacyReplyKeystream() == KeystreamMode.CONTINUE ? Crypto.requestBlocks(bodySize) : 0;
                Crypto.get().legacyCtr(an1, header, 24, first, payload, 0, plen, o, hs);
            } else if (modern) {
                Crypto c = Crypto.get();
                // D-2: the IV is exactly response bytes 24..39 as sent (for type 5 that includes coin 2).
                c.ctr(key32, o, 24, payload, 0, plen, o, hs);
                c.hmac(key32, o, hs, plen, o, hs + plen);
            } else {
                System.arraycopy(payload, 0, o, hs, plen);
            }
            Bytes.putTerminator(o, o.length - 2);
        }
        out = o;
        status = st;
        core.stats().recordResponse(transport, st, micros);
    }

    /** The handler's view of the current request; one per decoder, no allocation per request. */
    private final class View implements CommandRequest {
        @Override
        public RequestHeader header() {
            return RequestHeader.decode(header, 0, headerSize);
        }

        @Override
        public int commandGroup() {
            return group;
        }

        @Override
        public int commandCode() {
            return header[5] & 0xFF;
        }

        @Override
        public int shardId() {
            return header[3] & 0xFF;
        }

        @Override
        public int encryptionType() {
            return type;
        }

        @Override
        public boolean hasBody() {
            return bodySize > 0;
        }

        @Override
        public byte[] payloadArray() {
            return body;
        }

        @Override
        public int payloadOffset() {
            return payloadOff;
        }

        @Override
        public int payloadLength() {
            return payloadLen;
        }

        @Override
        public Transport transport() {
            return transport;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return remote;
        }

        @Override
        public ServerCore core() {
            return core;
        }
    }
}
