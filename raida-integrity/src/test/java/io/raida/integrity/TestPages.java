package io.raida.integrity;

import java.util.Random;

/** Page builders for tests. */
final class TestPages {
    private TestPages() {
    }

    /** A page where nothing is issued (all MFS 0) and every AN is {@code seed}-random. */
    static byte[] unissued(long seed) {
        byte[] p = new byte[PageStore.PAGE_SIZE];
        Random r = new Random(seed);
        for (int i = 0; i < 1024; i++) {
            for (int k = 0; k < 16; k++) {
                p[i * 17 + k] = (byte) r.nextInt(256);
            }
        }
        return p;
    }

    /** A page with {@code issued} records issued (MFS 33), ANs random from {@code seed}. */
    static byte[] issued(long seed, int... issued) {
        byte[] p = unissued(seed);
        for (int r : issued) {
            p[r * 17 + 16] = 33;
        }
        return p;
    }
}
