package io.raida.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.internal.Bytes;
import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.client.ResponseParser;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.Transport;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * A RAIDA (id 7) with {@link CoinCommands} over a page store, answering in memory through
 * {@link ServerCore#answer}. Denomination 1, page 0 holds issued records 0..99 (MFS 33) except
 * 50..59 which are unissued (MFS 0); page 1 is absent. Denomination 0 SN 1 is the key coin of
 * encrypted requests. The clock is fixed in December 2026, so changed records get MFS 46.
 */
final class CoinHarness implements AutoCloseable {
    static final int RAIDA = 7;
    static final int DEN = 1;
    static final int KEY_DEN = 0;
    static final long KEY_SN = 1;
    /** MFS of December 2026: (2026 − 2023) × 12 + (12 − 2). */
    static final int MFS_NOW = 46;
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T02:00:00Z"), ZoneOffset.UTC);

    /** Encryption types the tests run over. */
    enum Type {
        T0, T1, T4
    }

    final PageStore store;
    final ServerCore core;
    final CoinCommands coins;

    CoinHarness(PageStore store) throws IOException {
        this.store = store;
        this.coins = CoinCommands.open(store, CLOCK);
        this.core = ServerCore.builder().raidaId(RAIDA)
                .keyResolver(new PageStoreKeyResolver(store, coins.lockerKeys())).build();
        coins.install(core);
    }

    /** A fresh in-memory store with the standard pages. */
    static CoinHarness inMemory() throws IOException {
        InMemoryPageStore s = new InMemoryPageStore();
        seed(s);
        return new CoinHarness(s);
    }

    static void seed(PageStore s) throws IOException {
        int[] issued = new int[90];
        int k = 0;
        for (int r = 0; r < 100; r++) {
            if (r < 50 || r >= 60) {
                issued[k++] = r;
            }
        }
        s.writePage(DEN, 0, TestPages.issued(11, issued));
        s.writePage(KEY_DEN, 0, TestPages.issued(12, (int) KEY_SN));
    }

    /** The stored 17-byte record of a coin. */
    byte[] record(int den, long sn) throws IOException {
        byte[] r = new byte[PageStore.RECORD_SIZE];
        assertThat(store.readRecord(den, (int) (sn / 1024), (int) (sn % 1024), r, 0)).isTrue();
        return r;
    }

    byte[] an(int den, long sn) throws IOException {
        return Arrays.copyOf(record(den, sn), 16);
    }

    int mfs(int den, long sn) throws IOException {
        return record(den, sn)[16] & 0xFF;
    }

    /** {@code den ‖ SN}. */
    static byte[] coin(int den, long sn) {
        byte[] b = new byte[5];
        b[0] = (byte) den;
        Bytes.putU32(b, 1, sn);
        return b;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    static byte[] xor(byte[]... ans) {
        byte[] out = new byte[16];
        for (byte[] a : ans) {
            for (int i = 0; i < 16; i++) {
                out[i] ^= a[i];
            }
        }
        return out;
    }

    static byte[] filled(int value) {
        byte[] b = new byte[16];
        Arrays.fill(b, (byte) value);
        return b;
    }

    /** The answer to {@code group/code} with {@code payload}, type {@code type}, shard {@code shard}. */
    Reply call(Type type, int group, int code, byte[] payload, int shard) throws IOException {
        RequestBuilder b = RequestBuilder.command(RAIDA, group, code).shard(shard).payload(payload);
        byte[] key = an(KEY_DEN, KEY_SN);
        switch (type) {
            case T1 -> b.encryptWithCoin(KEY_DEN, KEY_SN, key);
            case T4 -> b.authenticateWithCoin(KEY_DEN, KEY_SN, key);
            default -> b.unencrypted();
        }
        ClientRequest r = b.build();
        byte[] frame = core.answer(r.frame(), Transport.TCP);
        return new Reply(type, ResponseParser.parse(r, frame), frame);
    }

    Reply call(Type type, int group, int code, byte[] payload) throws IOException {
        return call(type, group, code, payload, 0);
    }

    /** A request with body size 0. */
    Reply empty(int group, int code) {
        ClientRequest r = RequestBuilder.command(RAIDA, group, code).emptyBody().build();
        byte[] frame = core.answer(r.frame(), Transport.TCP);
        return new Reply(Type.T0, ResponseParser.parse(r, frame), frame);
    }

    @Override
    public void close() throws IOException {
        coins.close();
        store.close();
    }

    /** A parsed reply and its raw frame. */
    record Reply(Type type, RaidaResponse response, byte[] frame) {
        int status() {
            return response.status();
        }

        byte[] payload() {
            return response.payload();
        }

        /**
         * Asserts the status, the exact (decrypted) payload and the size field; the header is 32 bytes
         * for types 0/1 and 48 for type 4, so the frame is header + size bytes; for type 0 also the raw
         * body bytes.
         */
        Reply is(int status, byte[] payload) {
            assertThat(status()).as("status").isEqualTo(status);
            assertThat(payload()).as("payload").isEqualTo(payload);
            int size = Bytes.u24(frame, 9);
            int header = type == Type.T4 ? 48 : 32;
            assertThat(frame.length).as("frame = header + size").isEqualTo(header + size);
            if (payload.length == 0) {
                assertThat(size).as("no body").isZero();
            }
            if (type == Type.T0) {
                rawType0(payload);
            }
            return this;
        }

        /** Type 0: the bytes after the 32-byte header are exactly {@code payload ‖ 3E 3E} (or nothing). */
        Reply rawType0(byte[] payload) {
            assertThat(Bytes.u24(frame, 9)).isEqualTo(payload.length == 0 ? 0 : payload.length + 2);
            byte[] body = Arrays.copyOfRange(frame, 32, frame.length);
            assertThat(body).isEqualTo(payload.length == 0 ? new byte[0] : concat(payload, new byte[] {0x3E, 0x3E}));
            return this;
        }
    }
}
