package io.raida.examples;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.EncryptionType;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.crypto.KeystreamMode;
import java.nio.charset.StandardCharsets;

/**
 * One example call: a status-group command (echo 0/0 or version 0/1) under one encryption type.
 *
 * @param command "echo" or "version" ("detect" only labels {@link Shard2Detect} results)
 * @param type    NONE, AES128_COIN or AES256_ONE_COIN
 */
record Call(String command, EncryptionType type) {
    static final String ECHO = "echo";
    static final String VERSION = "version";
    /** Label of a shard-2 detect; {@link Shard2Detect} builds its requests, not {@link #request}. */
    static final String DETECT = "detect";

    int code() {
        return command.equals(ECHO) ? 0 : 1;
    }

    /** A fresh request (new challenge and nonce) for this call. */
    ClientRequest request(int raidaId, int coinId, DemoCoins.Coin coin, KeystreamMode keystream) {
        return withType(RequestBuilder.command(raidaId, 0, code()).coinId(coinId).keystream(keystream), type, coin)
                .build();
    }

    /** Sets encryption {@code type} on {@code b}, keyed with {@code coin} for types 1 and 4. */
    static RequestBuilder withType(RequestBuilder b, EncryptionType type, DemoCoins.Coin coin) {
        switch (type) {
            case NONE:
                break;
            case AES128_COIN:
                b.encryptWithCoin(coin.denomination(), coin.serialNumber(), coin.an());
                break;
            case AES256_ONE_COIN:
                b.authenticateWithCoin(coin.denomination(), coin.serialNumber(), coin.an());
                break;
            default:
                throw new IllegalArgumentException("the examples call with types 0, 1 and 4, not " + type.code());
        }
        return b;
    }

    /**
     * Null if {@code r} is the answer this call expects (status 250; for version 8 ASCII characters),
     * otherwise why not.
     */
    String problem(RaidaResponse r) {
        if (!r.isSuccess()) {
            return "status is not 250";
        }
        if (command.equals(VERSION)) {
            byte[] p = r.payload();
            if (p.length != 8) {
                return "version reply has " + p.length + " bytes, expected 8";
            }
            for (byte c : p) {
                if (c < 0x20 || c > 0x7E) {
                    return "version reply is not printable ASCII";
                }
            }
        }
        return null;
    }

    /** What the reply carried, for the printed line. */
    static String describePayload(RaidaResponse r) {
        byte[] p = r.payload();
        if (p.length == 0) {
            return "no body";
        }
        boolean text = p.length <= 32;
        for (byte c : p) {
            text &= c >= 0x20 && c <= 0x7E;
        }
        return text ? "\"" + new String(p, StandardCharsets.US_ASCII) + "\"" : p.length + " payload bytes";
    }

    String label() {
        return String.format("%-7s type %d", command, type.code());
    }
}
