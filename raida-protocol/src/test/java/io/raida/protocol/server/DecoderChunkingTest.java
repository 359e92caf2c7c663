package io.raida.protocol.server;

import static org.assertj.core.api.Assertions.assertThat;
import io.raida.protocol.Transport;
import io.raida.protocol.internal.Bytes;

import io.raida.protocol.testing.ReferenceServer;
import io.raida.protocol.testing.ReferenceVectors;
import io.raida.protocol.testing.ReferenceVectors.Case;
import io.raida.protocol.testing.ReferenceVectors.Range;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every TCP request of the reference vectors fed to the decoder in two chunks split at every byte
 * boundary, and one byte at a time, gives the same state, consumption and response as one chunk
 * (execution time, random nonces and type-4/5 bodies masked).
 */
class DecoderChunkingTest {
    private static final ReferenceVectors V = ReferenceVectors.load();
    private static final ServerCore CORE = ReferenceServer.create(V);

    static Stream<Case> tcpCases() {
        return V.cases().stream().filter(Case::isTcp);
    }

    /** Result of one feeding: state, bytes consumed, response (or null while still reading). */
    private record Outcome(RequestDecoder.State state, int consumed, int wanted, byte[] response) {
    }

    private static Outcome run(byte[] req, int[] cuts) {
        RequestDecoder d = CORE.newDecoder();
        d.reset(Transport.TCP, null, System.nanoTime());
        ByteBuffer src = ByteBuffer.wrap(req);
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : req.length;
            src.limit(to);
            int before = src.position();
            int n = d.feed(src);
            assertThat(n).isEqualTo(src.position() - before);
            if (!d.isReading()) {
                break; // the transport stops reading once a request is complete
            }
            assertThat(src.remaining()).as("a reading decoder consumes the whole chunk").isZero();
            from = to;
        }
        assertThat(from).isLessThanOrEqualTo(req.length);
        if (d.state() == RequestDecoder.State.PROCESSING) {
            d.process();
        }
        byte[] resp = d.state() == RequestDecoder.State.WANT_WRITE ? d.responseCopy() : null;
        return new Outcome(d.state(), src.position(), d.bytesWanted(), resp);
    }

    /** Bytes that legitimately change between two answers to the same request. */
    private static List<Range> variable(byte[] request, byte[] response) {
        if (response.length >= 48 && response.length - Bytes.u24(response, 9) == 48) {
            return List.of(new Range(4, 8), new Range(24, 46), new Range(48, response.length));
        }
        boolean showStats = request[4] == 0 && request[5] == 2;
        return showStats ? List.of(new Range(12, 16), new Range(32, response.length)) : List.of(new Range(12, 16));
    }

    private static void assertSame(Case c, Outcome whole, Outcome split, String how) {
        assertThat(split.state()).as("%s %s: state", c.name(), how).isEqualTo(whole.state());
        assertThat(split.consumed()).as("%s %s: bytes consumed", c.name(), how).isEqualTo(whole.consumed());
        assertThat(split.wanted()).as("%s %s: bytes wanted", c.name(), how).isEqualTo(whole.wanted());
        if (whole.response() == null) {
            assertThat(split.response()).isNull();
            return;
        }
        List<Range> mask = variable(c.request(), whole.response());
        assertThat(ReferenceVectors.maskedDiff(whole.response(), split.response(), mask))
                .as("%s %s: response", c.name(), how).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tcpCases")
    void everySplitPointGivesTheSameResult(Case c) {
        byte[] req = c.request();
        Outcome whole = run(req, new int[0]);
        if (c.response() != null) {
            assertThat(whole.response()).as("%s answered in one chunk", c.name()).isNotNull();
        }
        for (int k = 1; k < req.length; k++) {
            assertSame(c, whole, run(req, new int[] {k}), "split at " + k);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tcpCases")
    void directAndReadOnlyBuffersGiveTheSameResult(Case c) {
        byte[] req = c.request();
        Outcome whole = run(req, new int[0]);
        for (boolean direct : new boolean[] {true, false}) {
            ByteBuffer src = direct ? ByteBuffer.allocateDirect(req.length + 8) : ByteBuffer.allocate(req.length + 8);
            src.put(new byte[5]).put(req).flip();
            src.position(5);
            if (!direct) {
                src = src.asReadOnlyBuffer();
            }
            RequestDecoder d = CORE.newDecoder();
            d.reset(Transport.TCP, null, System.nanoTime());
            int n = d.feed(src);
            assertThat(n).isEqualTo(whole.consumed());
            assertThat(src.position()).isEqualTo(5 + whole.consumed());
            if (d.state() == RequestDecoder.State.PROCESSING) {
                d.process();
            }
            assertThat(d.state()).isEqualTo(whole.state());
            if (whole.response() != null) {
                assertThat(ReferenceVectors.maskedDiff(whole.response(), d.responseCopy(),
                        variable(req, whole.response()))).isEmpty();
            }
            if (c.response() != null) {
                // the same bytes as one datagram in a direct buffer
                ByteBuffer dg = ByteBuffer.allocateDirect(req.length + 3);
                dg.put(new byte[3]).put(req).flip();
                dg.position(3);
                RequestDecoder u = CORE.newDecoder();
                u.reset(Transport.UDP, null, System.nanoTime());
                if (u.decodeDatagram(dg, false) == RequestDecoder.DatagramVerdict.PROCESS) {
                    u.process();
                }
                assertThat(u.status()).isEqualTo(whole.response()[2] & 0xFF);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tcpCases")
    void oneByteAtATimeGivesTheSameResult(Case c) {
        byte[] req = c.request();
        Outcome whole = run(req, new int[0]);
        int[] cuts = new int[Math.max(0, req.length - 1)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        assertSame(c, whole, run(req, cuts), "1 byte at a time");
        // and through the array-region overload, one byte per call
        RequestDecoder d = CORE.newDecoder();
        d.reset(Transport.TCP, null, System.nanoTime());
        int consumed = 0;
        for (int i = 0; i < req.length && d.isReading(); i++) {
            consumed += d.feed(req, i, 1);
        }
        assertThat(consumed).isEqualTo(whole.consumed());
        if (d.state() == RequestDecoder.State.PROCESSING) {
            d.process();
        }
        assertThat(d.state()).isEqualTo(whole.state());
        if (whole.response() != null) {
            assertThat(d.status()).isEqualTo(whole.response()[2] & 0xFF);
        }
    }
}
