package io.raida.protocol.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReplayCacheTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final SecureRandom random = new SecureRandom();

    private byte[] tag() {
        byte[] t = new byte[32];
        random.nextBytes(t);
        return t;
    }

    @Test
    void aTagIsAcceptedOnceAndRefusedWithinTheWindow() {
        ReplayCache c = new ReplayCache(4096, Duration.ofSeconds(60), now::get);
        byte[] t = tag();
        assertThat(c.firstSeen(t, 0)).isTrue();
        assertThat(c.firstSeen(t, 0)).isFalse();
        assertThat(c.firstSeen(t.clone(), 0)).as("same bytes in another array").isFalse();
        assertThat(c.firstSeen(tag(), 0)).isTrue();
        assertThat(c.replays()).isEqualTo(2);
    }

    @Test
    void theTagIsReadAtItsOffsetAndOnlySixteenBytesCount() {
        ReplayCache c = new ReplayCache(4096, Duration.ofSeconds(60), now::get);
        byte[] frame = new byte[100];
        random.nextBytes(frame);
        assertThat(c.firstSeen(frame, 40)).isTrue();
        byte[] other = frame.clone();
        other[40 + 16] ^= 1; // beyond the 16 bytes that identify the request
        assertThat(c.firstSeen(other, 40)).isFalse();
        other[40 + 15] ^= 1;
        assertThat(c.firstSeen(other, 40)).isTrue();
    }

    @Test
    void anEmptyCiphertextIsIdentifiedByItsTagMixedWithItsIv() {
        ReplayCache c = new ReplayCache(4096, Duration.ofSeconds(60), now::get);
        byte[] sameTag = tag();
        byte[] iv1 = tag();
        byte[] iv2 = tag();
        assertThat(c.firstSeen(sameTag, 0, iv1, 0)).isTrue();
        assertThat(c.firstSeen(sameTag, 0, iv2, 0)).as("another request with the same empty ciphertext").isTrue();
        assertThat(c.firstSeen(sameTag, 0, iv1.clone(), 0)).as("the exact copy").isFalse();
    }

    @Test
    void entriesLiveAtLeastTheWindowAndExpireWithinTwo() {
        Duration window = Duration.ofSeconds(10);
        ReplayCache c = new ReplayCache(4096, window, now::get);
        byte[] t = tag();
        assertThat(c.firstSeen(t, 0)).isTrue();
        now.addAndGet(window.toNanos() - 1);
        assertThat(c.firstSeen(t, 0)).as("still inside the window").isFalse();
        now.addAndGet(window.toNanos() * 2 + 2);
        assertThat(c.firstSeen(t, 0)).as("two windows later the entry is gone").isTrue();
    }

    @Test
    void aFloodOfDistinctTagsKeepsMemoryFixedAndShortensTheWindowVisibly() {
        ReplayCache c = new ReplayCache(4096, Duration.ofHours(1), now::get);
        long memory = c.memoryBytes();
        assertThat(memory).isEqualTo(4L * c.capacity() * 16);
        byte[] first = tag();
        assertThat(c.firstSeen(first, 0)).isTrue();
        for (int i = 0; i < 200_000; i++) {
            assertThat(c.firstSeen(tag(), 0)).isTrue();
        }
        assertThat(c.memoryBytes()).isEqualTo(memory);
        assertThat(c.earlyRotations()).isPositive();
        assertThat(c.firstSeen(first, 0)).as("pushed out by the flood, and the counter says so").isTrue();
        // what was accepted last is still remembered
        byte[] recent = tag();
        assertThat(c.firstSeen(recent, 0)).isTrue();
        for (int i = 0; i < c.capacity() / 4; i++) {
            c.firstSeen(tag(), 0);
        }
        assertThat(c.firstSeen(recent, 0)).isFalse();
    }

    @Test
    void concurrentFirstSightingsAreCountedOnce() throws Exception {
        ReplayCache c = ReplayCache.create(1 << 16, Duration.ofMinutes(1));
        byte[][] tags = new byte[5000][];
        for (int i = 0; i < tags.length; i++) {
            tags[i] = tag();
        }
        AtomicLong accepted = new AtomicLong();
        Thread[] threads = new Thread[4];
        for (int k = 0; k < threads.length; k++) {
            threads[k] = new Thread(() -> {
                for (byte[] t : tags) {
                    if (c.firstSeen(t, 0)) {
                        accepted.incrementAndGet();
                    }
                }
            });
            threads[k].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(accepted.get()).isEqualTo(tags.length);
        assertThat(c.replays()).isEqualTo(3L * tags.length);
    }

    @Test
    void badSettingsAreRefusedWithTheValue() {
        assertThatThrownBy(() -> ReplayCache.create(10, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10");
        assertThatThrownBy(() -> ReplayCache.create(4096, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    }
}
