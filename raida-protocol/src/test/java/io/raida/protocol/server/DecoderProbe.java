package io.raida.protocol.server;

import io.raida.protocol.Transport;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Test-only public window on the package-private {@link RequestDecoder}, for the tests outside this
 * package (conformance vectors, randomized frames) that drive the decoder step by step.
 */
public final class DecoderProbe {
    /** Mirror of {@link RequestDecoder.State}. */
    public enum State { WANT_READ_HEADER, WANT_READ_BODY, PROCESSING, WANT_WRITE, DONE }

    /** Mirror of {@link RequestDecoder.DatagramVerdict}. */
    public enum DatagramVerdict { DROP, PROCESS, RESPOND }

    private final RequestDecoder d;

    private DecoderProbe(RequestDecoder d) {
        this.d = d;
    }

    public static DecoderProbe of(ServerCore core) {
        return new DecoderProbe(core.newDecoder());
    }

    public void reset(Transport transport, InetSocketAddress remote, long startNanos) {
        d.reset(transport, remote, startNanos);
    }

    public State state() {
        return State.valueOf(d.state().name());
    }

    public boolean isReading() {
        return d.isReading();
    }

    public int bytesWanted() {
        return d.bytesWanted();
    }

    public int bytesReceived() {
        return d.bytesReceived();
    }

    public int bodyCapacity() {
        return d.bodyCapacity();
    }

    public int feed(ByteBuffer src) {
        return d.feed(src);
    }

    public int feed(byte[] src, int off, int len) {
        return d.feed(src, off, len);
    }

    public DatagramVerdict decodeDatagram(ByteBuffer datagram, boolean truncated) {
        return DatagramVerdict.valueOf(d.decodeDatagram(datagram, truncated).name());
    }

    public boolean isNonBlocking() {
        return d.isNonBlocking();
    }

    public void process() {
        d.process();
    }

    public int status() {
        return d.status();
    }

    public byte[] responseArray() {
        return d.responseArray();
    }

    public byte[] responseCopy() {
        return d.responseCopy();
    }

    public ByteBuffer response() {
        return d.response();
    }

    public void complete() {
        d.complete();
    }
}
