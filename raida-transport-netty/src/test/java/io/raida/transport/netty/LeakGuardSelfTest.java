package io.raida.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Proves the leak check is live: a buffer dropped without release is reported and would fail the run. */
class LeakGuardSelfTest {

    @Test
    void aLeakedBufferIsReported() throws Exception {
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
        assertThat(FailingLeakDetector.isInstalledForByteBuf()).isTrue();
        List<String> reports = new ArrayList<>();
        FailingLeakDetector.quiet = true;
        try {
            leakOne();
            for (int i = 0; i < 50 && reports.isEmpty(); i++) {
                System.gc();
                Thread.sleep(20);
                ByteBufAllocator.DEFAULT.directBuffer(1).release();
                // drain() also keeps this deliberate leak from failing the class in LeakGuard.afterAll
                reports.addAll(FailingLeakDetector.drain());
            }
        } finally {
            FailingLeakDetector.quiet = false;
        }
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0)).contains("LEAK").contains("ByteBuf").contains("leakOne");
    }

    private static void leakOne() {
        ByteBuf leaked = ByteBufAllocator.DEFAULT.directBuffer(64);
        leaked.writeLong(42);
    }
}
