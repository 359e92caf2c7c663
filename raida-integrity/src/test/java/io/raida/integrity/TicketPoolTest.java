package io.raida.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Ticket numbers, expiry, capacity and atomic claims (D-40, D-50). */
@Timeout(30)
class TicketPoolTest {
    private static final byte[] COINS = {1, 0, 0, 0, 5, 1, 0, 0, 0, 6};
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    /** A random source that yields the given ints first, then real randomness. */
    private static Random scripted(int... first) {
        return new Random(1) {
            private int i;

            @Override
            public int nextInt() {
                return i < first.length ? first[i++] : super.nextInt();
            }
        };
    }

    @Test
    void numbersAreNeverZeroNorALiveDuplicate() {
        TicketPool pool = new TicketPool(8, Duration.ofSeconds(300), now::get, scripted(0, 42, 0, 42, 42, -7));
        assertThat(pool.issue(COINS)).isEqualTo(42);
        assertThat(pool.issue(COINS)).as("0 and the live 42 are drawn again").isEqualTo(-7);
        assertThat(pool.size()).isEqualTo(2);
    }

    @Test
    void ticketsExpireAfterTheirLifetime() {
        TicketPool pool = new TicketPool(2, Duration.ofSeconds(300), now::get, new Random(3));
        int a = pool.issue(COINS);
        now.addAndGet(Duration.ofSeconds(200).toNanos());
        int b = pool.issue(COINS);
        assertThat(pool.issue(COINS)).as("full").isZero();
        now.addAndGet(Duration.ofSeconds(100).toNanos());
        assertThat(pool.claim(a, 3).status()).as("a is 300 s old").isEqualTo(TicketPool.ClaimStatus.NOT_FOUND);
        assertThat(pool.claim(b, 3).status()).isEqualTo(TicketPool.ClaimStatus.CLAIMED);
        assertThat(pool.size()).isEqualTo(1);
        assertThat(pool.issue(COINS)).as("a's slot is free again").isNotZero();
    }

    @Test
    void eachRaidaClaimsOnce() {
        TicketPool pool = new TicketPool(4, Duration.ofSeconds(300), now::get, new Random(5));
        int t = pool.issue(COINS);
        TicketPool.Claim c = pool.claim(t, 0);
        assertThat(c.status()).isEqualTo(TicketPool.ClaimStatus.CLAIMED);
        assertThat(c.coins()).isEqualTo(COINS);
        assertThat(pool.claim(t, 0).status()).isEqualTo(TicketPool.ClaimStatus.ALREADY_CLAIMED);
        assertThat(pool.claim(t, 0).coins()).isEmpty();
        for (int r = 1; r < 25; r++) {
            assertThat(pool.claim(t, r).status()).isEqualTo(TicketPool.ClaimStatus.CLAIMED);
        }
        assertThat(pool.claim(0, 1).status()).isEqualTo(TicketPool.ClaimStatus.NOT_FOUND);
        assertThat(pool.claim(t + 1, 1).status()).isEqualTo(TicketPool.ClaimStatus.NOT_FOUND);
    }

    @Test
    void concurrentClaimsBySameRaidaSucceedOnce() throws Exception {
        TicketPool pool = new TicketPool(512, Duration.ofSeconds(300));
        List<Integer> tickets = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            tickets.add(pool.issue(COINS));
        }
        ExecutorService ex = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> fs = new ArrayList<>();
            for (int th = 0; th < 4; th++) {
                fs.add(ex.submit(() -> {
                    go.await();
                    int won = 0;
                    for (int t : tickets) {
                        won += pool.claim(t, 9).status() == TicketPool.ClaimStatus.CLAIMED ? 1 : 0;
                    }
                    return won;
                }));
            }
            go.countDown();
            int total = 0;
            for (Future<Integer> f : fs) {
                total += f.get();
            }
            assertThat(total).as("one winner per ticket").isEqualTo(tickets.size());
        } finally {
            ex.shutdownNow();
            assertThat(ex.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
