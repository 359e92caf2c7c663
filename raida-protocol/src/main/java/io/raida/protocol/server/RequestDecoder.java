package io.raida.protocol.server;

import io.raida.protocol.EncryptionType;
import io.raida.protocol.ResponseHeader;
import io.raida.protocol.StatusCode;
import io.raida.protocol.Transport;
import io.raida.protocol.crypto.Crypto;
import io.raida.protocol.internal.Bytes;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * One request's state machine (transport.md §2.3), composed of the pieces named after each concept:
 * {@link RequestFramer} → {@link HeaderValidator} → {@link CryptoStep} → handler →
 * {@link ReplyEncoder}. Reused for request after request; {@link #reset} zeroes all per-request
 * state (D-10). Not thread-safe: its owner hands it over with a happens-before edge. No input makes it
 * throw.
 *
 * <pre>
 * WANT_READ_HEADER --header--> validate --invalid--> WANT_WRITE (error reply)
 *                                       --body 0---> PROCESSING
 *                                       --else-----> WANT_READ_BODY --body--> open --> PROCESSING | WANT_WRITE
 * PROCESSING --process()--> WANT_WRITE --complete()--> DONE
 * </pre>
 */
final class RequestDecoder {

    /** Where the request is. */
    enum State { WANT_READ_HEADER, WANT_READ_BODY, PROCESSING, WANT_WRITE, DONE }

    /** What to do with a datagram after {@link #decodeDatagram}. */
    enum DatagramVerdict {
        /** Too short to be answered (&lt; 17 bytes or shorter than its header): send nothing. */
        DROP,
        /** Valid: call {@link #process()}. */
        PROCESS,
        /** Invalid: an error reply is ready. */
        RESPOND
    }

    private static final byte[] EMPTY = new byte[0];
    private static final CommandResult INTERNAL = CommandResult.of(StatusCode.ERROR_INTERNAL);

    private final ServerCore core;
    private final RequestFramer framer = new RequestFramer();
    private final HeaderValidator validator;
    private final ReplyEncoder encoder;
    private final DecodedRequest request = new DecodedRequest();
    private State state = State.WANT_READ_HEADER;
    private byte[] out;
    private int status;
    /** The exchange whose budget this decoder's bodies count against (null: no budget, e.g. in memory or UDP). */
    private ServerExchange budgeted;

    RequestDecoder(ServerCore core) {
        this.core = core;
        this.validator = new HeaderValidator(core);
        this.encoder = new ReplyEncoder(core);
        reset(Transport.TCP, null, System.nanoTime());
    }

    void budgetedBy(ServerExchange exchange) {
        this.budgeted = exchange;
    }

    /** Prepares for a new request, clearing every field of the previous one. */
    void reset(Transport transport, InetSocketAddress remote, long startNanos) {
        if (budgeted != null) {
            budgeted.releaseBody();
        }
        request.clear(transport, remote, startNanos);
        framer.reset(request.header);
        state = State.WANT_READ_HEADER;
        out = null;
        status = 0;
    }

    State state() {
        return state;
    }

    boolean isReading() {
        return state == State.WANT_READ_HEADER || state == State.WANT_READ_BODY;
    }

    int bytesWanted() {
        return isReading() ? framer.bytesWanted() : 0;
    }

    int bytesReceived() {
        return framer.bytesReceived();
    }

    int bodyCapacity() {
        return framer.bodyCapacity();
    }

    Transport transport() {
        return request.transport;
    }

    InetSocketAddress remoteAddress() {
        return request.remote;
    }

    long startNanos() {
        return request.startNanos;
    }

    /** Consumes stream bytes; takes only what the request needs. Returns the count consumed. */
    int feed(ByteBuffer src) {
        int start = src.position();
        while (src.hasRemaining() && isReading()) {
            switch (framer.feed(src)) {
                case HEADER_COMPLETE:
                    onHeader();
                    break;
                case BODY_COMPLETE:
                    onBody();
                    break;
                default:
                    break;
            }
        }
        return src.position() - start;
    }

    int feed(byte[] src, int off, int len) {
        return feed(ByteBuffer.wrap(src, off, len));
    }

    /**
     * Decodes one whole datagram (transport.md §3.2 steps 4–9); bytes after header + body size are
     * ignored. {@code truncated}: longer than the receive buffer (D-22), answered 16 once the header
     * is valid.
     */
    DatagramVerdict decodeDatagram(ByteBuffer datagram, boolean truncated) {
        if (!framer.datagramHeader(datagram)) {
            core.stats().recordDrop();
            return DatagramVerdict.DROP;
        }
        request.fields.wrap(request.header, framer.headerSize());
        request.headerSize = framer.headerSize();
        int st = validator.validate(request);
        int size = request.bodySize;
        if (st == 0 && (truncated || datagram.remaining() - request.headerSize < size)) {
            st = StatusCode.ERROR_INVALID_PACKET_LENGTH.code();
        }
        if (st == 0 && size > 0) {
            framer.datagramBody(datagram, size);
            st = openBody();
        }
        if (st != 0) {
            fail(st);
            return DatagramVerdict.RESPOND;
        }
        state = State.PROCESSING;
        return DatagramVerdict.PROCESS;
    }

    boolean isNonBlocking() {
        return request.registration != null && request.registration.nonBlocking();
    }

    /** The waiting bulkhead this decoded request runs in, or null for the local workers. */
    String bulkhead() {
        CommandRegistry.Registration reg = request.registration;
        return reg == null ? null : reg.bulkheadFor(request);
    }

    /**
     * The 254 reply of a request whose deadline passed, built while a worker may still own this
     * decoder: touches none of its state, records the reply in the stats.
     */
    byte[] deadlineReply(int st) {
        byte[] o = encoder.deadlineError(request, st);
        core.stats().recordResponse(request.transport, st, (System.nanoTime() - request.startNanos) / 1_000);
        return o;
    }

    int commandGroup() {
        return request.group;
    }

    /**
     * Runs the handler and encodes the reply (PROCESSING → WANT_WRITE). A handler that fails with
     * anything but a {@link VirtualMachineError}, or returns null, is answered with 252.
     */
    void process() {
        encodeResult(runHandler());
    }

    /** The first half of {@link #process()}: runs the handler (252 result for a failure), encodes nothing. */
    CommandResult runHandler() {
        if (state != State.PROCESSING) {
            throw new IllegalStateException("process() needs state PROCESSING, state is " + state);
        }
        CommandRegistry.Registration reg = request.registration;
        CommandResult r;
        try {
            core.stats().recordCommand(reg.group(), reg.code());
            r = reg.handler().handle(request);
            if (r == null) {
                throw new IllegalStateException("handler returned null");
            }
        } catch (Throwable t) {
            core.userCodeFailed(UserCode.HANDLER, reg, t, request.remote);
            r = INTERNAL;
        }
        return r;
    }

    /** The second half of {@link #process()}: encodes the handler's result (PROCESSING → WANT_WRITE). */
    void encodeResult(CommandResult r) {
        CommandRegistry.Registration reg = request.registration;
        byte[] payload = r.payload();
        long replyBody = ReplyEncoder.replyBodySize(request, payload.length);
        if (replyBody > ResponseHeader.MAX_BODY_SIZE) {
            // the 24-bit size field (bytes 9..11) cannot describe this body: never send a size that lies
            core.userCodeFailed(UserCode.HANDLER, reg, new IllegalStateException("reply payload of "
                    + payload.length + " bytes gives a body of " + replyBody + " bytes, above the 24-bit size field's "
                    + ResponseHeader.MAX_BODY_SIZE), request.remote);
            setReply(encoder.error(request, StatusCode.ERROR_INTERNAL.code()), StatusCode.ERROR_INTERNAL.code());
        } else if (request.transport == Transport.UDP
                && request.replyHeaderSize + replyBody > ServerCore.MAX_UDP_REPLY) {
            setReply(encoder.error(request, StatusCode.ERROR_INVALID_PACKET_LENGTH.code()),
                    StatusCode.ERROR_INVALID_PACKET_LENGTH.code());
        } else {
            setReply(encoder.encode(request, r.status(), payload), r.status());
        }
    }

    /** Answers a request that cannot be processed with an error and no body (PROCESSING → WANT_WRITE). */
    void respondWithError(StatusCode statusCode) {
        if (state != State.PROCESSING) {
            throw new IllegalStateException("respondWithError() needs state PROCESSING, state is " + state);
        }
        fail(statusCode.code());
    }

    /** Answers the request with {@code statusCode} whatever was decided so far (user code failed around it). */
    void failRequest(StatusCode statusCode) {
        if (state != State.PROCESSING && state != State.WANT_WRITE) {
            throw new IllegalStateException("failRequest() needs a complete request, state is " + state);
        }
        fail(statusCode.code());
    }

    int status() {
        return status;
    }

    ByteBuffer response() {
        return ByteBuffer.wrap(responseArray());
    }

    /** The reply; all of the array is the reply. Do not modify. */
    byte[] responseArray() {
        if (out == null) {
            throw new IllegalStateException("no response in state " + state);
        }
        return out;
    }

    byte[] responseCopy() {
        return responseArray().clone();
    }

    /** The reply was written (WANT_WRITE → DONE). */
    void complete() {
        state = State.DONE;
        if (budgeted != null) {
            budgeted.releaseBody();
        }
    }

    private void onHeader() {
        request.fields.wrap(request.header, framer.headerSize());
        request.headerSize = framer.headerSize();
        int st = validator.validate(request);
        if (st != 0) {
            fail(st);
        } else if (request.bodySize == 0) {
            state = State.PROCESSING;
        } else if (budgeted != null && !budgeted.reserveBody(request.bodySize)) {
            // refused before its buffer exists: the request memory budget is full
            fail(StatusCode.ERROR_MEMORY_ALLOC.code());
        } else {
            framer.expectBody(request.bodySize);
            state = State.WANT_READ_BODY;
        }
    }

    private void onBody() {
        if (budgeted != null) {
            budgeted.bodyComplete();
        }
        int st = openBody();
        if (st != 0) {
            fail(st);
        } else {
            state = State.PROCESSING;
        }
    }

    /** Wire-format §6.3 in the reference order: length, terminator, then the type's own checks. */
    private int openBody() {
        request.body = framer.body();
        int n = request.bodySize;
        if (n < 2) {
            return StatusCode.ERROR_INVALID_PACKET_LENGTH.code();
        }
        if (!Bytes.isTerminator(request.body, n - 2)) {
            return StatusCode.ERROR_INVALID_EOF.code();
        }
        int st = request.crypto.openBody(request);
        if (st == 0 && request.type >= EncryptionType.AES256_ONE_COIN.code()) {
            ReplayCache replays = core.replayCache();
            // the verified tag identifies the request; the nonce does not (bytes 40..47 are unauthenticated).
            // A short ciphertext has few possible values and so few tags: two honest requests would share
            // one, so it is identified by its tag mixed with its IV (a copy must then be exact to be caught).
            int tagAt = n - Crypto.HMAC_SIZE - 2;
            boolean first = replays == null || (tagAt >= ReplayCache.TAG_ONLY_MIN_CIPHERTEXT
                    ? replays.firstSeen(request.body, tagAt)
                    : replays.firstSeen(request.body, tagAt, request.header, request.fields.nonceOffset()));
            if (!first) {
                core.stats().recordReplay();
                return StatusCode.ERROR_TXN_PROCESSED.code();
            }
        }
        return st;
    }

    private void fail(int st) {
        setReply(encoder.error(request, st), st);
    }

    private void setReply(byte[] reply, int st) {
        out = reply;
        status = st;
        state = State.WANT_WRITE;
    }
}
