package io.raida.protocol.client;

import io.raida.protocol.crypto.Crypto;
import io.raida.protocol.crypto.KeystreamMode;
import io.raida.protocol.internal.Bytes;
import io.raida.protocol.Crc32;
import io.raida.protocol.EncryptionType;
import io.raida.protocol.RaidaIds;
import io.raida.protocol.RequestHeader;
import java.util.Objects;

/**
 * Builds client request frames (wire-format §1–§7) with a fresh random challenge and nonce for
 * every {@link #build()}: a challenge of 12 random bytes plus their CRC; for types 1/2 eight random
 * nonce bytes (the last two double as echo); for types 4/5 random nonces whose low counter word
 * cannot wrap inside one message (D-3). Not thread-safe; {@link ClientRequest}s it builds are.
 *
 * <pre>{@code
 * ClientRequest echo = RequestBuilder.command(14, 0, 0).build();                 // type 0 echo
 * ClientRequest version = RequestBuilder.command(14, 0, 1)
 *         .authenticateWithCoin(0, 1, an).build();                               // type 4
 * }</pre>
 */
public final class RequestBuilder {
    private final int raidaId;
    private final int group;
    private final int code;
    private int coinId = 6;
    private int shard;
    private byte[] payload = new byte[0];
    private boolean noBody;
    private EncryptionType type = EncryptionType.NONE;
    private int den1;
    private long sn1;
    private byte[] an1;
    private int den2;
    private long sn2;
    private byte[] an2;
    private KeystreamMode keystream = KeystreamMode.CONTINUE;
    private Integer echo;
    private byte[] fixedChallenge;
    private byte[] fixedNonce;

    private RequestBuilder(int raidaId, int group, int code) {
        this.raidaId = checkByte("raida id", raidaId);
        this.group = checkByte("command group", group);
        this.code = checkByte("command code", code);
    }

    /**
     * A request for command {@code group/code} to RAIDA {@code raidaId}, type 0 and no payload so far.
     *
     * @param raidaId the target RAIDA, 0..24
     * @param group the command group, 0..255
     * @param code the command code, 0..255
     * @return a new builder
     */
    public static RequestBuilder command(int raidaId, int group, int code) {
        return new RequestBuilder(raidaId, group, code);
    }

    /**
     * Coin id (default 6).
     *
     * @param coinId the coin id, 0..65535
     * @return this builder
     */
    public RequestBuilder coinId(int coinId) {
        this.coinId = RaidaIds.requireCoinId(coinId);
        return this;
    }

    /**
     * Shard id, request byte 3 (default 0).
     *
     * @param shard the shard id, 0..255
     * @return this builder
     */
    public RequestBuilder shard(int shard) {
        this.shard = checkByte("shard", shard);
        return this;
    }

    /**
     * The command payload (plaintext; the builder encrypts it). Copied.
     *
     * @param payload the plaintext payload
     * @return this builder
     */
    public RequestBuilder payload(byte[] payload) {
        this.payload = Objects.requireNonNull(payload, "payload").clone();
        this.noBody = false;
        return this;
    }

    /**
     * Send body size 0: no challenge, no terminator (type 0 only; servers refuse it for encrypted types).
     *
     * @return this builder
     */
    public RequestBuilder emptyBody() {
        this.noBody = true;
        return this;
    }

    /**
     * Type 0 (the default): plaintext body.
     *
     * @return this builder
     */
    public RequestBuilder unencrypted() {
        type = EncryptionType.NONE;
        return this;
    }

    /**
     * Type 1: AES-128-CTR keyed with the AN of coin {@code den/sn}.
     *
     * @param den the key coin's denomination
     * @param sn the key coin's serial number
     * @param an the key coin's 16-byte AN (this RAIDA's)
     * @return this builder
     */
    public RequestBuilder encryptWithCoin(int den, long sn, byte[] an) {
        setCoin1(den, sn, an);
        type = EncryptionType.AES128_COIN;
        return this;
    }

    /**
     * Type 2: AES-128-CTR keyed with a locker AN (its first 5 bytes travel in the header).
     *
     * @param lockerAn the 16-byte locker AN
     * @return this builder
     */
    public RequestBuilder encryptWithLocker(byte[] lockerAn) {
        an1 = checkAn(lockerAn);
        type = EncryptionType.AES128_LOCKER;
        return this;
    }

    /**
     * Type 4: AES-256-CTR + HMAC-SHA-256 keyed with SHA-256(AN) of one coin.
     *
     * @param den the key coin's denomination
     * @param sn the key coin's serial number
     * @param an the key coin's 16-byte AN (this RAIDA's)
     * @return this builder
     */
    public RequestBuilder authenticateWithCoin(int den, long sn, byte[] an) {
        setCoin1(den, sn, an);
        type = EncryptionType.AES256_ONE_COIN;
        return this;
    }

    /**
     * Type 5: AES-256-CTR + HMAC-SHA-256 keyed with SHA-256(AN1 || AN2) of two coins.
     *
     * @param den1 the first key coin's denomination
     * @param sn1 the first key coin's serial number
     * @param an1 the first key coin's 16-byte AN
     * @param den2 the second key coin's denomination
     * @param sn2 the second key coin's serial number
     * @param an2 the second key coin's 16-byte AN
     * @return this builder
     */
    public RequestBuilder authenticateWithCoins(int den1, long sn1, byte[] an1, int den2, long sn2, byte[] an2) {
        setCoin1(den1, sn1, an1);
        checkCoin(den2, sn2);
        this.den2 = den2;
        this.sn2 = sn2;
        this.an2 = checkAn(an2);
        type = EncryptionType.AES256_TWO_COINS;
        return this;
    }

    /**
     * How to decrypt a type 1/2 response body (default {@link KeystreamMode#CONTINUE}).
     *
     * @param mode the mode the target RAIDA uses
     * @return this builder
     */
    public RequestBuilder keystream(KeystreamMode mode) {
        this.keystream = Objects.requireNonNull(mode, "mode");
        return this;
    }

    /**
     * Fixes the echo bytes instead of drawing them at random (for types 1/2 they are nonce bytes 6..7).
     *
     * @param echo the echo, 0..65535
     * @return this builder
     */
    public RequestBuilder echo(int echo) {
        if (echo < 0 || echo > 0xFFFF) {
            throw new IllegalArgumentException("echo is two bytes, got " + echo);
        }
        this.echo = echo;
        return this;
    }

    /**
     * Deterministic challenge bytes 0..11, for reproducing test vectors only: real requests need fresh random ones.
     *
     * @param twelve 12 bytes
     * @return this builder
     */
    public RequestBuilder challengeSeed(byte[] twelve) {
        if (twelve.length != 12) {
            throw new IllegalArgumentException("challenge seed is 12 bytes");
        }
        this.fixedChallenge = twelve.clone();
        return this;
    }

    /**
     * Deterministic nonce (8 bytes for types 1/2, 24 for types 4/5), for reproducing test vectors only.
     *
     * @param nonce 8 or 24 bytes
     * @return this builder
     */
    public RequestBuilder nonce(byte[] nonce) {
        this.fixedNonce = nonce.clone();
        return this;
    }

    /**
     * Builds the frame with fresh randomness.
     *
     * @return the request, ready to send
     * @throws IllegalArgumentException if the payload does not fit the 16-bit body size, or
     *                                  {@link #emptyBody()} was asked for an encrypted type
     */
    public ClientRequest build() {
        Crypto crypto = Crypto.get();
        boolean modern = type.isModern();
        int hs = type.headerSize();
        int overhead = modern ? Crypto.HMAC_SIZE + 2 : Crc32.CHALLENGE_SIZE + 2;
        if (noBody && type != EncryptionType.NONE) {
            throw new IllegalArgumentException("an encrypted request (type " + type.code()
                    + ") needs a body: servers refuse body size 0 for it (D-11)");
        }
        int bodySize = noBody ? 0 : payload.length + overhead;
        if (bodySize > RequestHeader.MAX_BODY_SIZE) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes gives body size " + bodySize
                    + ", above the 16-bit limit 65535; at most " + (RequestHeader.MAX_BODY_SIZE - overhead)
                    + " payload bytes fit type " + type.code());
        }
        byte[] f = new byte[hs + bodySize];
        f[0] = 1;
        f[2] = (byte) raidaId;
        f[3] = (byte) shard;
        f[4] = (byte) group;
        f[5] = (byte) code;
        Bytes.putU16(f, 6, coinId);
        f[16] = (byte) type.code();
        byte[] expectedSignature = null;
        byte[] key32 = null;
        int echoValue;
        if (!modern) {
            Bytes.putU16(f, 22, bodySize);
            if (type == EncryptionType.NONE) {
                echoValue = echo != null ? echo : crypto.random().nextInt(0x10000);
            } else {
                if (fixedNonce != null) {
                    System.arraycopy(fixedNonce, 0, f, 24, 8);
                } else {
                    crypto.randomBytes(f, 24, 8);
                }
                echoValue = echo != null ? echo : Bytes.u16(f, 30);
                if (type == EncryptionType.AES128_COIN) {
                    f[17] = (byte) den1;
                    Bytes.putU32(f, 18, sn1);
                } else {
                    System.arraycopy(an1, 0, f, 17, 5);
                }
            }
            Bytes.putU16(f, 30, echoValue);
            if (bodySize > 0) {
                if (fixedChallenge != null) {
                    System.arraycopy(fixedChallenge, 0, f, hs, 12);
                } else {
                    crypto.randomBytes(f, hs, 12);
                }
                Crc32.sealChallenge(f, hs);
                System.arraycopy(payload, 0, f, hs + 16, payload.length);
                expectedSignature = new byte[16];
                System.arraycopy(f, hs, expectedSignature, 0, 16);
                if (type != EncryptionType.NONE) {
                    for (int i = 0; i < 16; i++) {
                        expectedSignature[i] ^= an1[i];
                    }
                    crypto.legacyCtr(an1, f, 24, 0, f, hs, bodySize - 2);
                }
                Bytes.putTerminator(f, f.length - 2);
            }
        } else {
            Bytes.putU16(f, 17, bodySize);
            f[19] = (byte) den1;
            Bytes.putU32(f, 20, sn1);
            if (fixedNonce != null) {
                System.arraycopy(fixedNonce, 0, f, 24, 24);
            } else {
                crypto.randomBytes(f, 24, 24);
                f[36] &= 0x7F; // D-3: the low counter word (IV bytes 12..15) cannot wrap within a message
            }
            if (type == EncryptionType.AES256_TWO_COINS) {
                f[24] = (byte) den2;
                Bytes.putU32(f, 25, sn2);
            }
            if (echo != null) {
                Bytes.putU16(f, 46, echo);
            }
            echoValue = Bytes.u16(f, 46);
            key32 = crypto.sha256(an1, type == EncryptionType.AES256_TWO_COINS ? an2 : null);
            System.arraycopy(payload, 0, f, hs, payload.length);
            crypto.ctr(key32, f, 24, f, hs, payload.length);
            crypto.hmac(key32, f, hs, payload.length, f, hs + payload.length);
            Bytes.putTerminator(f, f.length - 2);
        }
        return new ClientRequest(f, raidaId, group, code, type, echoValue, expectedSignature,
                an1 == null ? null : an1.clone(), key32, keystream, bodySize);
    }

    private void setCoin1(int den, long sn, byte[] an) {
        checkCoin(den, sn);
        den1 = den;
        sn1 = sn;
        an1 = checkAn(an);
    }

    private static void checkCoin(int den, long sn) {
        if (den < -128 || den > 127) {
            throw new IllegalArgumentException("denomination is a signed byte, got " + den);
        }
        if (sn < 0 || sn > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("serial number is 32 bits unsigned, got " + sn);
        }
    }

    private static byte[] checkAn(byte[] an) {
        if (an == null || an.length != 16) {
            throw new IllegalArgumentException("an AN is 16 bytes, got " + (an == null ? "null" : an.length));
        }
        return an.clone();
    }

    private static int checkByte(String what, int v) {
        if (v < 0 || v > 255) {
            throw new IllegalArgumentException(what + " must be 0..255, got " + v);
        }
        return v;
    }
}
