package io.raida.protocol.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SourceRateLimiterTest {
    private final AtomicLong now = new AtomicLong(5_000_000_000L);

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void aSourceOverItsRateIsRefusedWhileAnotherIsServed() throws Exception {
        SourceRateLimiter l = new SourceRateLimiter(100, 10, 1024, now::get);
        InetAddress noisy = ip("192.0.2.7");
        InetAddress quiet = ip("192.0.2.8");
        int allowed = 0;
        for (int i = 0; i < 50; i++) {
            if (l.tryAcquire(noisy)) {
                allowed++;
            }
        }
        assertThat(allowed).as("the burst, then nothing without time passing").isEqualTo(10);
        assertThat(l.refused()).isEqualTo(40);
        assertThat(l.tryAcquire(quiet)).isTrue();
        now.addAndGet(50_000_000L); // 50 ms at 100/s = 5 tokens
        allowed = 0;
        for (int i = 0; i < 50; i++) {
            if (l.tryAcquire(noisy)) {
                allowed++;
            }
        }
        assertThat(allowed).isEqualTo(5);
    }

    @Test
    void ipv6SourcesShareABucketPerSlash64() throws Exception {
        SourceRateLimiter l = new SourceRateLimiter(1, 3, 1024, now::get);
        assertThat(l.tryAcquire(ip("2001:db8:1:2::1"))).isTrue();
        assertThat(l.tryAcquire(ip("2001:db8:1:2::ffff"))).isTrue();
        assertThat(l.tryAcquire(ip("2001:db8:1:2:aaaa::5"))).isTrue();
        assertThat(l.tryAcquire(ip("2001:db8:1:2::9"))).as("fourth address of the same /64").isFalse();
        assertThat(l.tryAcquire(ip("2001:db8:1:3::1"))).as("another /64").isTrue();
        assertThat(SourceRateLimiter.sourceKey(ip("10.0.0.1")))
                .isNotEqualTo(SourceRateLimiter.sourceKey(ip("::a00:1")));
    }

    @Test
    void aSpoofedFloodCannotGrowMemoryNorRefuseAnInnocentSource() throws Exception {
        SourceRateLimiter l = new SourceRateLimiter(10, 5, 4096, now::get);
        long memory = l.memoryBytes();
        InetAddress innocent = ip("198.51.100.1");
        byte[] a = new byte[4];
        for (int i = 0; i < 100_000; i++) {
            a[0] = 10;
            a[1] = (byte) (i >> 16);
            a[2] = (byte) (i >> 8);
            a[3] = (byte) i;
            l.tryAcquire(InetAddress.getByAddress(a));
            if (i % 1000 == 0) {
                assertThat(l.tryAcquire(innocent)).as("innocent source, request %d", i / 1000).isTrue();
                now.addAndGet(200_000_000L); // 200 ms: 2 tokens back for the innocent source
            }
        }
        assertThat(l.memoryBytes()).isEqualTo(memory).isLessThan(200_000);
    }

    @Test
    void anIdleSourceRefillsToItsBurstOnly() throws Exception {
        SourceRateLimiter l = new SourceRateLimiter(1000, 4, 64, now::get);
        InetAddress s = ip("203.0.113.9");
        for (int i = 0; i < 4; i++) {
            assertThat(l.tryAcquire(s)).isTrue();
        }
        assertThat(l.tryAcquire(s)).isFalse();
        now.addAndGet(7_200_000_000_000L); // two hours
        int allowed = 0;
        for (int i = 0; i < 10; i++) {
            if (l.tryAcquire(s)) {
                allowed++;
            }
        }
        assertThat(allowed).isEqualTo(4);
    }
}
