package io.raida.protocol.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestBudgetTest {
    private final ServerStats stats = new ServerStats();
    private final RequestBudget budget = new RequestBudget(80_000, 1_000_000, new OverloadLog(1, stats));

    @Test
    void largeBodiesUseSevenEighthsSmallOnesTheWhole() {
        assertThat(budget.tryReserve(65_535)).isTrue();
        // 65 535 + 5 000 > 70 000 (7/8): a large body no longer fits
        assertThat(budget.tryReserve(5_000)).isFalse();
        assertThat(budget.used()).as("nothing kept from a refusal").isEqualTo(65_535);
        // small bodies may still use the rest up to 80 000
        for (int i = 0; i < 7; i++) {
            assertThat(budget.tryReserve(2_048)).as("small body %d", i).isTrue();
        }
        assertThat(budget.tryReserve(2_048)).as("80 000 reached").isFalse();
        budget.release(65_535);
        for (int i = 0; i < 7; i++) {
            budget.release(2_048);
        }
        assertThat(budget.used()).isZero();
    }

    @Test
    void overloadEventsAreCountedPerKindAndLoggedAtMostOncePerInterval() {
        OverloadLog log = new OverloadLog(1, stats);
        for (int i = 0; i < 1_000; i++) {
            log.record(Overload.REJECTED_CONNECTIONS, "test");
        }
        log.record(Overload.ACCEPT_FAILED, "test");
        assertThat(stats.rejectedConnections()).isEqualTo(1_000);
        assertThat(stats.overload(Overload.REJECTED_CONNECTIONS)).isEqualTo(1_000);
        assertThat(stats.acceptFailures()).isEqualTo(1);
        assertThat(stats.rejectedMemory()).isZero();
        assertThat(stats.toString()).contains("rejectedConnections=1000", "acceptFailures=1", "rejectedMemory=0");
    }
}
