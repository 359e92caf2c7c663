package io.raida.protocol.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The TCP reply-completion rule of wire-format §9.3 shared by the NIO and Netty clients. */
class TcpReplyReaderTest {

    /** A reply prefix: status at byte 2, body size at bytes 9..11, placed at {@code off}. */
    private static byte[] reply(int off, int status, int size, int length) {
        byte[] b = new byte[off + length];
        b[off + 2] = (byte) status;
        b[off + 9] = (byte) (size >>> 16);
        b[off + 10] = (byte) (size >>> 8);
        b[off + 11] = (byte) size;
        return b;
    }

    @Test
    void unknownUntilTwelveBytes() {
        byte[] b = reply(0, 250, 10, 12);
        assertThat(TcpReplyReader.expectedLength(b, 0, 0, 32)).isEqualTo(-1);
        assertThat(TcpReplyReader.expectedLength(b, 0, 11, 32)).isEqualTo(-1);
        assertThat(TcpReplyReader.expectedLength(b, 0, 11, 48)).isEqualTo(-1);
    }

    @Test
    void shortRequestGivesShortHeader() {
        byte[] b = reply(0, 250, 0x010203, 12);
        assertThat(TcpReplyReader.expectedLength(b, 0, 12, 32)).isEqualTo(32 + 0x010203);
        byte[] err = reply(0, 4, 0, 12);
        assertThat(TcpReplyReader.expectedLength(err, 0, 12, 32)).isEqualTo(32);
    }

    @Test
    void longRequestGivesLongHeaderForOrdinaryStatuses() {
        for (int status : new int[] {0, 1, 8, 34, 241, 250, 254}) {
            byte[] b = reply(5, status, 18, 12);
            assertThat(TcpReplyReader.expectedLength(b, 5, 12, 48)).as("status %d", status).isEqualTo(66);
        }
    }

    @Test
    void earlyErrorAfterLongRequestAcceptsEitherHeaderSize() {
        for (int status : new int[] {255, 2, 3, 4, 5, 6, 7}) {
            byte[] b = reply(0, status, 0, 48);
            // 32 bytes could be the whole reference reply or the start of a 48-byte one: read to EOF
            assertThat(TcpReplyReader.expectedLength(b, 0, 32, 48)).as("status %d", status).isEqualTo(-1);
            assertThat(TcpReplyReader.expectedLength(b, 0, 40, 48)).isEqualTo(-1);
            assertThat(TcpReplyReader.expectedLength(b, 0, 48, 48)).isEqualTo(48);
        }
        byte[] sized = reply(0, 6, 4, 52);
        assertThat(TcpReplyReader.expectedLength(sized, 0, 36, 48)).isEqualTo(-1);
        assertThat(TcpReplyReader.expectedLength(sized, 0, 52, 48)).isEqualTo(52);
    }

    @Test
    void earlyHeaderErrorsAreTheSectionTwoChecks() {
        for (int s = 0; s < 256; s++) {
            assertThat(TcpReplyReader.isEarlyHeaderError(s)).as("status %d", s)
                    .isEqualTo(s == 255 || (s >= 2 && s <= 7));
        }
    }

    @Test
    void rejectsOtherRequestHeaderSizes() {
        assertThatThrownBy(() -> TcpReplyReader.expectedLength(new byte[12], 0, 12, 40))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 or 48");
    }

    // ---------------------------------------------------------------- the reader

    @Test
    void aReplyIsCompleteAtHeaderPlusSizeWhateverTheChunking() {
        byte[] full = reply(0, 250, 40, 72);
        for (int chunk : new int[] {1, 5, 12, 31, 72}) {
            TcpReplyReader r = new TcpReplyReader(32, 1_000, "peer");
            byte[] done = null;
            for (int off = 0; off < full.length && done == null; off += chunk) {
                done = r.feed(full, off, Math.min(chunk, full.length - off));
            }
            assertThat(done).as("chunks of %d", chunk).isEqualTo(full);
        }
    }

    @Test
    void anEarlyErrorWithAShortHeaderAfterA48ByteRequestEndsAtEofOrAtAReset() {
        byte[] early = reply(0, 3, 0, 32);
        TcpReplyReader eof = new TcpReplyReader(48, 1_000, "peer");
        assertThat(eof.feed(early, 0, 32)).as("could still be a 48-byte header").isNull();
        assertThat(eof.onEof()).isEqualTo(early);
        TcpReplyReader reset = new TcpReplyReader(48, 1_000, "peer");
        reset.feed(early, 0, 32);
        assertThat(reset.onReset(new java.io.IOException("Connection reset"))).as("D-23").isEqualTo(early);
    }

    @Test
    void aResetBeforeTheReplyIsCompleteIsAnErrorNamingWhatArrived() {
        TcpReplyReader r = new TcpReplyReader(48, 1_000, "peer:1");
        r.feed(reply(0, 250, 50, 40), 0, 40);
        assertThatThrownBy(() -> r.onReset(new java.io.IOException("Connection reset")))
                .isInstanceOf(io.raida.protocol.transport.RaidaTransportException.class)
                .hasMessageContaining("peer:1").hasMessageContaining("after 40 reply bytes")
                .hasMessageContaining("Connection reset");
        TcpReplyReader none = new TcpReplyReader(32, 1_000, "peer:1");
        assertThatThrownBy(none::onEof).hasMessageContaining("without a reply");
    }

    @Test
    void theSizeCapHoldsForDeclaredAndReceivedBytes() {
        TcpReplyReader declared = new TcpReplyReader(32, 100, "peer");
        assertThatThrownBy(() -> declared.feed(reply(0, 250, 200, 12), 0, 12))
                .hasMessageContaining("declares 232 bytes");
        TcpReplyReader raw = new TcpReplyReader(0, 100, "peer");
        raw.feed(new byte[100], 0, 100);
        assertThatThrownBy(() -> raw.feed(new byte[1], 0, 1)).hasMessageContaining("exceeds 100 bytes");
        TcpReplyReader viaRoom = new TcpReplyReader(32, 1_000, "peer");
        java.nio.ByteBuffer room = viaRoom.room();
        byte[] full = reply(0, 250, 2, 34);
        room.put(full);
        assertThat(viaRoom.advance(34)).isEqualTo(full);
    }
}
