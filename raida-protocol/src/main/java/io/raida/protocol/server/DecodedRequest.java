package io.raida.protocol.server;

import io.raida.protocol.RequestHeader;
import io.raida.protocol.Transport;
import io.raida.protocol.crypto.Crypto;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * The per-request state the decoder pieces share, and the handler's view of it
 * ({@link CommandRequest}). What the reference records as it validates (group, echo, key coin,
 * challenge signature) is kept with a "recorded" flag, because an early error reply carries exactly
 * the fields recorded before the failing check (D-9). One per exchange; {@link #clear} zeroes every
 * field between requests (D-10), so no reply can carry a previous request's state.
 */
final class DecodedRequest implements CommandRequest {
    private static final byte[] NO_BODY = new byte[0];
    final byte[] header = new byte[RequestHeader.HEADER_48];
    final RequestFields fields = new RequestFields();
    final byte[] signature = new byte[Crypto.CHALLENGE_SIZE_BYTES];

    Transport transport = Transport.TCP;
    InetSocketAddress remote;
    long startNanos;

    int headerSize;
    byte[] body;
    int bodySize;
    int group;
    int type;
    int echo;
    int denomination;
    long serial;
    boolean groupRecorded;
    boolean echoRecorded;
    boolean coinRecorded;
    boolean signatureSet;
    int replyHeaderSize = RequestHeader.HEADER_32;
    byte[] an1;
    byte[] key32;
    CryptoStep crypto;
    CommandRegistry.Registration registration;
    int payloadOff;
    int payloadLen;

    void clear(Transport transport, InetSocketAddress remote, long startNanos) {
        this.transport = transport;
        this.remote = remote;
        this.startNanos = startNanos;
        Arrays.fill(header, (byte) 0);
        Arrays.fill(signature, (byte) 0);
        headerSize = 0;
        body = null;
        bodySize = 0;
        group = 0;
        type = 0;
        echo = 0;
        denomination = 0;
        serial = 0;
        groupRecorded = false;
        echoRecorded = false;
        coinRecorded = false;
        signatureSet = false;
        replyHeaderSize = RequestHeader.HEADER_32;
        an1 = null;
        key32 = null;
        crypto = null;
        registration = null;
        payloadOff = 0;
        payloadLen = 0;
    }

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
        return fields.commandCode();
    }

    @Override
    public int shardId() {
        return fields.shardId();
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
        return body == null ? NO_BODY : body;
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
}
