package io.raida.protocol.testing;

import io.raida.protocol.server.InMemoryCoinKeyResolver;
import io.raida.protocol.server.ServerCore;

/**
 * Builds a {@link ServerCore} configured like the server that recorded the reference vectors:
 * RAIDA id 0, coin id 6, admin key {@code 000102..0f}, version {@code "20250323"} and an
 * {@link InMemoryCoinKeyResolver} holding the five coins of {@code data.coins}. Only the built-in
 * commands are registered; modules add their handlers (e.g. raida-integrity's group 14) to
 * {@link ServerCore#registry()} before replaying their cases.
 */
public final class ReferenceServer {
    /** The version string of the reference build (command 0/1). */
    public static final String VERSION = "20250323";

    private ReferenceServer() {
    }

    /** A core configured from the loaded vectors (see {@link ReferenceVectors#load()}). */
    public static ServerCore create() {
        return create(ReferenceVectors.load());
    }

    /** A core configured from {@code vectors}. */
    public static ServerCore create(ReferenceVectors vectors) {
        return builder(vectors).build();
    }

    /**
     * A builder preset like the capture, for tests that change one setting (e.g. maxBodySize).
     * Replay protection is off, as on the reference: the captured frames are replays by nature and
     * these tests send one frame several ways (whole, chunked, UDP and TCP) to one core.
     */
    public static ServerCore.Builder builder(ReferenceVectors vectors) {
        return ServerCore.builder()
                .noReplayProtection()
                .raidaId(vectors.raidaId())
                .coinId(vectors.coinId())
                .adminKey(vectors.adminKey())
                .versionString(VERSION)
                .keyResolver(resolver(vectors));
    }

    /** An in-memory resolver with the coins of {@code data.coins}. */
    public static InMemoryCoinKeyResolver resolver(ReferenceVectors vectors) {
        InMemoryCoinKeyResolver r = new InMemoryCoinKeyResolver();
        for (ReferenceVectors.Coin c : vectors.coins()) {
            r.putCoin(c.denomination(), c.serialNumber(), c.an());
        }
        return r;
    }
}
