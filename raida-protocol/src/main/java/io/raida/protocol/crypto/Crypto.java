package io.raida.protocol.crypto;

import io.raida.protocol.internal.Bytes;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * JCE primitives of wire-format §7, one instance set per thread so nothing is created per request
 * (Cipher/MessageDigest are not thread-safe; getInstance is expensive).
 *
 * <p>CTR mode and HMAC are composed here from the JCE's AES block cipher (ECB over counter blocks,
 * AES-NI intrinsics) and SHA-256 (SHA-NI intrinsics) rather than taken from {@code AES/CTR} and
 * {@code HmacSHA256}: those re-initialise per IV and copy the IV, the key and the digest output on
 * every call, while this way a request whose key matches the previous one on the thread allocates
 * nothing. Both are checked against BouncyCastle and the reference vectors.
 */
public final class Crypto {
    /** Bytes of an authenticity number (AN), the AES-128 key of types 1/2. */
    public static final int AN_SIZE = 16;
    /** Bytes of the HMAC-SHA-256 tag of types 4/5. */
    public static final int HMAC_SIZE = 32;
    /** AES block size. */
    public static final int BLOCK = 16;
    /** Bytes of the challenge that opens a type 0/1/2 body. */
    public static final int CHALLENGE_SIZE_BYTES = 16;
    /** CSPRNG bytes drawn per refill of the per-thread pool. */
    public static final int RANDOM_POOL = 1_024;

    private static final ThreadLocal<Crypto> LOCAL = ThreadLocal.withInitial(Crypto::new);

    /** Keystream is made in chunks of this many bytes (counter blocks encrypted in one ECB call). */
    private static final int KEYSTREAM_CHUNK = 512;
    private static final int SHA256_BLOCK = 64;
    private static final byte IPAD = 0x36;
    private static final byte OPAD = 0x5c;

    private final Cipher aesEcb;
    private final MessageDigest sha256;
    private final MessageDigest hmacDigest;
    private final SecureRandom random;
    private final byte[] counter = new byte[BLOCK];
    private final byte[] counterBlocks = new byte[KEYSTREAM_CHUNK];
    private final byte[] keystream = new byte[KEYSTREAM_CHUNK];
    private final byte[] ipad = new byte[SHA256_BLOCK];
    private final byte[] opad = new byte[SHA256_BLOCK];
    private final byte[] innerHash = new byte[HMAC_SIZE];
    private final byte[] mac = new byte[HMAC_SIZE];
    private final byte[] legacyCounter = new byte[BLOCK];
    /** CSPRNG output is drawn in blocks: one DRBG call serves dozens of challenges or reply nonces. */
    private final byte[] pool = new byte[RANDOM_POOL];
    private int poolPos = RANDOM_POOL;
    // Per-thread caches for the common case of consecutive requests under the same key: they spare
    // the SHA-256 key derivation, the AES key schedule and the HMAC pads.
    private byte[] derivedFrom1;
    private byte[] derivedFrom2;
    private byte[] derivedKey;
    private byte[] aesKey;
    private byte[] macKey;

    private Crypto() {
        try {
            aesEcb = Cipher.getInstance("AES/ECB/NoPadding");
            sha256 = MessageDigest.getInstance("SHA-256");
            hmacDigest = MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JCE lacks AES/ECB or SHA-256", e);
        }
        SecureRandom r;
        try {
            r = SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            r = new SecureRandom();
        }
        random = r;
    }

    /**
     * This thread's instance (nothing is shared between threads).
     *
     * @return the calling thread's instance; do not pass it to another thread
     */
    public static Crypto get() {
        return LOCAL.get();
    }

    /**
     * The per-thread CSPRNG used for challenges, nonces and reply nonces.
     *
     * @return the calling thread's generator, seeded by the JDK
     */
    public SecureRandom random() {
        return random;
    }

    /**
     * Fills {@code dst[off..off+len)} with CSPRNG bytes.
     *
     * @param dst the array to fill
     * @param off the first index to fill
     * @param len the number of bytes to fill
     */
    public void randomBytes(byte[] dst, int off, int len) {
        if (len > RANDOM_POOL) {
            byte[] tmp = new byte[len];
            random.nextBytes(tmp);
            System.arraycopy(tmp, 0, dst, off, len);
            return;
        }
        if (poolPos + len > RANDOM_POOL) {
            random.nextBytes(pool);
            poolPos = 0;
        }
        System.arraycopy(pool, poolPos, dst, off, len);
        java.util.Arrays.fill(pool, poolPos, poolPos + len, (byte) 0); // bytes handed out are not kept
        poolPos += len;
    }

    /**
     * AES-CTR in place over {@code buf[off..off+len)}; key of 16 (AES-128) or 32 (AES-256) bytes;
     * counter block {@code iv[ivOff..ivOff+16)}, full 128-bit big-endian increment (D-3).
     *
     * @param key the AES key, 16 or 32 bytes
     * @param ivSrc the array holding the 16-byte initial counter block (not modified)
     * @param ivOff where the counter block starts in {@code ivSrc}
     * @param buf the bytes to encrypt or decrypt, overwritten with the result
     * @param off the first byte of the region
     * @param len the length of the region, any length
     */
    public void ctr(byte[] key, byte[] ivSrc, int ivOff, byte[] buf, int off, int len) {
        ctr(key, ivSrc, ivOff, buf, off, len, buf, off);
    }

    /**
     * AES-CTR from {@code in[inOff..inOff+len)} to {@code out[outOff..)}; the two regions are the
     * same or do not overlap.
     *
     * @param key the AES key, 16 or 32 bytes
     * @param ivSrc the array holding the 16-byte initial counter block (not modified)
     * @param ivOff where the counter block starts in {@code ivSrc}
     * @param in the input bytes
     * @param inOff the first input byte
     * @param len the number of bytes
     * @param out the array the result goes to
     * @param outOff where the result starts in {@code out}
     */
    public void ctr(byte[] key, byte[] ivSrc, int ivOff, byte[] in, int inOff, int len, byte[] out, int outOff) {
        if (len == 0) {
            return;
        }
        useAesKey(key);
        System.arraycopy(ivSrc, ivOff, counter, 0, BLOCK);
        for (int done = 0; done < len; ) {
            int n = Math.min(len - done, KEYSTREAM_CHUNK);
            int blocks = (n + BLOCK - 1) / BLOCK;
            for (int b = 0; b < blocks; b++) {
                System.arraycopy(counter, 0, counterBlocks, b * BLOCK, BLOCK);
                increment(counter);
            }
            try {
                int k = aesEcb.update(counterBlocks, 0, blocks * BLOCK, keystream, 0);
                if (k != blocks * BLOCK) {
                    throw new IllegalStateException("AES produced " + k + " keystream bytes for " + blocks * BLOCK);
                }
            } catch (ShortBufferException e) {
                throw new IllegalStateException(e);
            }
            for (int i = 0; i < n; i++) {
                out[outOff + done + i] = (byte) (in[inOff + done + i] ^ keystream[i]);
            }
            done += n;
        }
    }

    /** Full 128-bit big-endian increment of a counter block (D-3: no 64-bit wrap). */
    private static void increment(byte[] c) {
        for (int i = BLOCK - 1; i >= 0; i--) {
            if (++c[i] != 0) {
                return;
            }
        }
    }

    private void useAesKey(byte[] key) {
        if (aesKey != null && MessageDigest.isEqual(aesKey, key)) {
            return;
        }
        aesKey = null;
        try {
            aesEcb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES key of " + key.length + " bytes rejected", e);
        }
        aesKey = key.clone();
    }

    /**
     * Type 1/2 legacy counter block: {@code nonce8 || u64_BE(block)}. Block 0 for the request; the
     * response continues at {@code ceil((bodySize-2)/16)} (CONTINUE) or restarts at 0 (RESTART).
     *
     * @param an the coin's 16-byte AN, the AES-128 key
     * @param nonce8 the array holding the 8 nonce bytes
     * @param nonceOff where the nonce starts in {@code nonce8}
     * @param firstBlock the block counter of the first 16 bytes
     * @param buf the bytes to encrypt or decrypt, overwritten with the result
     * @param off the first byte of the region
     * @param len the length of the region
     */
    public void legacyCtr(byte[] an, byte[] nonce8, int nonceOff, long firstBlock, byte[] buf, int off, int len) {
        legacyCtr(an, nonce8, nonceOff, firstBlock, buf, off, len, buf, off);
    }

    /**
     * {@link #legacyCtr(byte[], byte[], int, long, byte[], int, int)} from {@code in} to {@code out}.
     *
     * @param an the coin's 16-byte AN, the AES-128 key
     * @param nonce8 the array holding the 8 nonce bytes
     * @param nonceOff where the nonce starts in {@code nonce8}
     * @param firstBlock the block counter of the first 16 bytes
     * @param in the input bytes
     * @param inOff the first input byte
     * @param len the number of bytes
     * @param out the array the result goes to
     * @param outOff where the result starts in {@code out}
     */
    public void legacyCtr(byte[] an, byte[] nonce8, int nonceOff, long firstBlock, byte[] in, int inOff, int len,
                   byte[] out, int outOff) {
        byte[] counter = legacyCounter;
        System.arraycopy(nonce8, nonceOff, counter, 0, 8);
        Bytes.putU64(counter, 8, firstBlock);
        ctr(an, counter, 0, in, inOff, len, out, outOff);
    }

    /**
     * Number of 16-byte keystream blocks a type 1/2 request body of {@code bodySize} consumed.
     *
     * @param bodySize the request's body size (header bytes 22-23)
     * @return the blocks consumed, {@code ceil((bodySize - 2) / 16)}
     */
    public static long requestBlocks(int bodySize) {
        return bodySize <= 2 ? 0 : (bodySize - 2 + BLOCK - 1) / BLOCK;
    }

    /**
     * SHA-256 of one or two byte arrays concatenated (type 4/5 key derivation).
     *
     * @param a the first array
     * @param b the second array, or {@code null} to hash {@code a} alone
     * @return a new 32-byte digest
     */
    public byte[] sha256(byte[] a, byte[] b) {
        sha256.reset();
        sha256.update(a);
        if (b != null) {
            sha256.update(b);
        }
        return sha256.digest();
    }

    /**
     * The type 4/5 key SHA-256(AN1 [|| AN2]). Consecutive requests under the same coin(s) on this
     * thread reuse the derived key. The returned array is never modified afterwards, so it may be
     * handed to another thread.
     *
     * @param an1 the first coin's 16-byte AN
     * @param an2 the second coin's AN (type 5), or {@code null} for type 4
     * @return the 32-byte AES-256 key; callers must not modify it
     */
    public byte[] modernKey(byte[] an1, byte[] an2) {
        if (derivedKey != null && MessageDigest.isEqual(derivedFrom1, an1)
                && (an2 == null ? derivedFrom2 == null : derivedFrom2 != null && MessageDigest.isEqual(derivedFrom2, an2))) {
            return derivedKey;
        }
        byte[] k = sha256(an1, an2);
        derivedFrom1 = an1.clone();
        derivedFrom2 = an2 == null ? null : an2.clone();
        derivedKey = k;
        return k;
    }

    /**
     * SHA-256 of a region.
     *
     * @param a the array holding the region
     * @param off the first byte
     * @param len the number of bytes
     * @return a new 32-byte digest
     */
    public byte[] sha256(byte[] a, int off, int len) {
        sha256.reset();
        sha256.update(a, off, len);
        return sha256.digest();
    }

    /**
     * HMAC-SHA-256 (RFC 2104) of {@code data[off..off+len)} written to {@code out[outOff..outOff+32)}.
     *
     * @param key the HMAC key
     * @param data the array holding the data
     * @param off the first data byte
     * @param len the number of data bytes
     * @param out the array the 32-byte MAC goes to
     * @param outOff where the MAC starts in {@code out}
     */
    public void hmac(byte[] key, byte[] data, int off, int len, byte[] out, int outOff) {
        useMacKey(key);
        MessageDigest d = hmacDigest;
        try {
            d.reset();
            d.update(ipad);
            d.update(data, off, len);
            d.digest(innerHash, 0, HMAC_SIZE);
            d.update(opad);
            d.update(innerHash);
            d.digest(out, outOff, HMAC_SIZE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 output does not fit", e);
        }
    }

    private void useMacKey(byte[] key) {
        if (macKey != null && MessageDigest.isEqual(macKey, key)) {
            return;
        }
        byte[] k = key.length > SHA256_BLOCK ? sha256(key, 0, key.length) : key;
        java.util.Arrays.fill(ipad, IPAD);
        java.util.Arrays.fill(opad, OPAD);
        for (int i = 0; i < k.length; i++) {
            ipad[i] ^= k[i];
            opad[i] ^= k[i];
        }
        macKey = key.clone();
    }

    /**
     * Constant-time check that {@code expected[eOff..eOff+32)} is the HMAC of the data region.
     *
     * @param key the HMAC key
     * @param data the array holding the data
     * @param off the first data byte
     * @param len the number of data bytes
     * @param expected the array holding the received MAC
     * @param eOff where the 32 MAC bytes start in {@code expected}
     * @return {@code true} if the MAC matches
     */
    public boolean verifyHmac(byte[] key, byte[] data, int off, int len, byte[] expected, int eOff) {
        hmac(key, data, off, len, mac, 0);
        return constantTimeEquals(mac, 0, expected, eOff, HMAC_SIZE);
    }

    /**
     * Constant-time equality of two regions of the same length.
     *
     * @param a the first array
     * @param aOff the first byte compared in {@code a}
     * @param b the second array
     * @param bOff the first byte compared in {@code b}
     * @param len the number of bytes compared
     * @return {@code true} if the regions are equal; the time taken does not depend on where they differ
     */
    public static boolean constantTimeEquals(byte[] a, int aOff, byte[] b, int bOff, int len) {
        int diff = 0;
        for (int i = 0; i < len; i++) {
            diff |= a[aOff + i] ^ b[bOff + i];
        }
        return diff == 0;
    }
}
