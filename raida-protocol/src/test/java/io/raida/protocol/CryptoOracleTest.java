package io.raida.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import io.raida.protocol.crypto.Crypto;
import io.raida.protocol.internal.Bytes;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RequestBuilder;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.SICBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;

/**
 * The JCE-based primitives of {@link Crypto} cross-checked against BouncyCastle's independent
 * implementations on random inputs (partial blocks included), and the builder's encrypted bodies
 * decrypted with BouncyCastle.
 */
class CryptoOracleTest {
    private static final int ROUNDS = 2_000;

    private static byte[] random(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    private static byte[] bcCtr(byte[] key, byte[] iv, byte[] data) {
        SICBlockCipher c = (SICBlockCipher) SICBlockCipher.newInstance(AESEngine.newInstance());
        c.init(true, new ParametersWithIV(new KeyParameter(key), iv));
        byte[] out = new byte[data.length];
        c.processBytes(data, 0, data.length, out, 0);
        return out;
    }

    private static byte[] bcHmac(byte[] key, byte[] data) {
        HMac m = new HMac(new SHA256Digest());
        m.init(new KeyParameter(key));
        m.update(data, 0, data.length);
        byte[] out = new byte[32];
        m.doFinal(out, 0);
        return out;
    }

    private static byte[] bcSha(byte[]... parts) {
        SHA256Digest d = new SHA256Digest();
        for (byte[] p : parts) {
            d.update(p, 0, p.length);
        }
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }

    @Test
    void aesCtrMatchesBouncyCastleFor128And256BitKeys() {
        SplittableRandom r = new SplittableRandom(21);
        Crypto c = Crypto.get();
        for (int i = 0; i < ROUNDS; i++) {
            byte[] key = random(r, i % 2 == 0 ? 16 : 32);
            byte[] iv = random(r, 16);
            if (i % 5 == 0) {
                iv[12] = iv[13] = iv[14] = (byte) 0xFF; // low word about to wrap: full 128-bit carry (D-3)
                iv[15] = (byte) 0xFE;
            }
            byte[] data = random(r, r.nextInt(200));
            byte[] buf = new byte[data.length + 7];
            System.arraycopy(data, 0, buf, 3, data.length);
            byte[] ivHolder = new byte[20];
            System.arraycopy(iv, 0, ivHolder, 4, 16);
            c.ctr(key, ivHolder, 4, buf, 3, data.length);
            assertThat(Arrays.copyOfRange(buf, 3, 3 + data.length)).as("round %d, %d bytes", i, data.length)
                    .isEqualTo(bcCtr(key, iv, data));
            assertThat(buf[0]).isZero();
            assertThat(buf[buf.length - 1]).as("nothing written past the region").isZero();
        }
    }

    /**
     * Lengths across the keystream chunk, both the in-place and the two-array form, and keys that
     * switch, repeat and are overwritten in the caller's array between calls (the per-thread key
     * caches compare contents, not references).
     */
    @Test
    void aesCtrMatchesBouncyCastleAcrossChunksAndKeyChanges() {
        SplittableRandom r = new SplittableRandom(25);
        Crypto c = Crypto.get();
        byte[] shared = random(r, 32);
        int[] lengths = {1, 15, 16, 17, 511, 512, 513, 1023, 1024, 1025, 1440, 4097, 65_000};
        for (int i = 0; i < 300; i++) {
            byte[] key;
            if (i % 3 == 0) {
                key = shared;
            } else if (i % 3 == 1) {
                key = random(r, i % 2 == 0 ? 16 : 32);
            } else {
                r.nextBytes(shared); // same array, new contents
                key = shared;
            }
            byte[] iv = random(r, 16);
            if (i % 4 == 0) {
                Arrays.fill(iv, 8, 16, (byte) 0xFF); // carry across the 64-bit boundary mid-message (D-3)
            }
            int len = i < lengths.length ? lengths[i] : 1 + r.nextInt(3_000);
            byte[] data = random(r, len);
            byte[] expected = bcCtr(key, iv, data);
            byte[] out = new byte[len + 2];
            c.ctr(key, iv, 0, data, 0, len, out, 1);
            assertThat(Arrays.copyOfRange(out, 1, 1 + len)).as("round %d, %d bytes, two arrays", i, len)
                    .isEqualTo(expected);
            assertThat(out[0]).isZero();
            assertThat(out[len + 1]).isZero();
            byte[] inPlace = data.clone();
            c.ctr(key, iv, 0, inPlace, 0, len);
            assertThat(inPlace).as("round %d, in place", i).isEqualTo(expected);
        }
    }

    @Test
    void hmacMatchesBouncyCastleForEveryKeyLengthAndKeyChange() {
        SplittableRandom r = new SplittableRandom(26);
        Crypto c = Crypto.get();
        byte[] out = new byte[32];
        for (int keyLength = 0; keyLength <= 130; keyLength++) {
            for (int repeat = 0; repeat < 2; repeat++) {
                byte[] key = random(r, keyLength);
                byte[] data = random(r, r.nextInt(700));
                c.hmac(key, data, 0, data.length, out, 0);
                assertThat(out).as("key of %d bytes", keyLength).isEqualTo(bcHmac(key, data));
                byte[] data2 = random(r, r.nextInt(70));
                c.hmac(key, data2, 0, data2.length, out, 0);
                assertThat(out).as("same key again").isEqualTo(bcHmac(key, data2));
            }
        }
    }

    @Test
    void legacyCounterBlockIsNonceThenBlockIndex() {
        SplittableRandom r = new SplittableRandom(22);
        for (int i = 0; i < ROUNDS / 4; i++) {
            byte[] an = random(r, 16);
            byte[] nonce = random(r, 8);
            long block = r.nextInt(5000);
            byte[] data = random(r, 1 + r.nextInt(100));
            byte[] iv = Arrays.copyOf(nonce, 16);
            Bytes.putU64(iv, 8, block);
            byte[] buf = data.clone();
            Crypto.get().legacyCtr(an, nonce, 0, block, buf, 0, buf.length);
            assertThat(buf).isEqualTo(bcCtr(an, iv, data));
        }
        assertThat(Crypto.requestBlocks(0)).isZero();
        assertThat(Crypto.requestBlocks(2)).isZero();
        assertThat(Crypto.requestBlocks(18)).isEqualTo(1);
        assertThat(Crypto.requestBlocks(19)).isEqualTo(2);
        assertThat(Crypto.requestBlocks(50)).isEqualTo(3);
    }

    @Test
    void hmacAndShaMatchBouncyCastle() {
        SplittableRandom r = new SplittableRandom(23);
        Crypto c = Crypto.get();
        for (int i = 0; i < ROUNDS; i++) {
            byte[] key = random(r, 32);
            byte[] data = random(r, r.nextInt(300));
            byte[] out = new byte[40];
            c.hmac(key, data, 0, data.length, out, 5);
            byte[] expected = bcHmac(key, data);
            assertThat(Arrays.copyOfRange(out, 5, 37)).isEqualTo(expected);
            assertThat(c.verifyHmac(key, data, 0, data.length, expected, 0)).isTrue();
            expected[r.nextInt(32)] ^= (byte) (1 << r.nextInt(8));
            assertThat(c.verifyHmac(key, data, 0, data.length, expected, 0)).isFalse();
            byte[] a = random(r, 16);
            byte[] b = random(r, 16);
            assertThat(c.sha256(a, null)).isEqualTo(bcSha(a));
            assertThat(c.sha256(a, b)).isEqualTo(bcSha(a, b));
            assertThat(c.sha256(data, 0, data.length)).isEqualTo(bcSha(data));
        }
        assertThat(Crypto.constantTimeEquals(new byte[] {1, 2, 3}, 0, new byte[] {0, 1, 2, 3}, 1, 3)).isTrue();
        assertThat(Crypto.constantTimeEquals(new byte[] {1, 2, 3}, 0, new byte[] {0, 1, 2, 4}, 1, 3)).isFalse();
    }

    @Test
    void builderBodiesDecryptWithBouncyCastle() {
        SplittableRandom r = new SplittableRandom(24);
        for (int i = 0; i < 200; i++) {
            byte[] an = random(r, 16);
            byte[] an2 = random(r, 16);
            byte[] payload = random(r, r.nextInt(90));
            // type 1: IV = nonce8 || 0^8, plaintext = challenge || payload
            ClientRequest t1 = RequestBuilder.command(0, 1, 10).payload(payload).encryptWithCoin(0, 1, an).build();
            byte[] f = t1.frame();
            byte[] iv = Arrays.copyOf(Arrays.copyOfRange(f, 24, 32), 16);
            byte[] plain = bcCtr(an, iv, Arrays.copyOfRange(f, 32, f.length - 2));
            assertThat(Crc32.checkChallenge(plain, 0)).isTrue();
            assertThat(Arrays.copyOfRange(plain, 16, plain.length)).isEqualTo(payload);
            assertThat(Bytes.isTerminator(f, f.length - 2)).isTrue();
            // type 5: K = SHA-256(AN1 || AN2), IV = header 24..39, HMAC over the ciphertext only
            ClientRequest t5 = RequestBuilder.command(0, 1, 10).payload(payload)
                    .authenticateWithCoins(0, 1, an, 1, 1024, an2).build();
            byte[] g = t5.frame();
            byte[] k = bcSha(an, an2);
            byte[] ct = Arrays.copyOfRange(g, 48, 48 + payload.length);
            assertThat(Arrays.copyOfRange(g, 48 + payload.length, 80 + payload.length)).isEqualTo(bcHmac(k, ct));
            assertThat(bcCtr(k, Arrays.copyOfRange(g, 24, 40), ct)).isEqualTo(payload);
            assertThat(g[24]).isEqualTo((byte) 1);
            assertThat(Bytes.u32(g, 25)).isEqualTo(1024);
            // D-3: the random nonce keeps the low counter word from wrapping
            assertThat(g[36] & 0x80).isZero();
        }
    }
}
