package io.raida.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reports a buffer leak. Registered for every test class of this
 * module by JUnit's extension auto-detection ({@code META-INF/services}, enabled in the surefire
 * configuration). Before the class it checks that the detector is really in place (PARANOID level,
 * {@link FailingLeakDetector} installed), so a misconfigured build cannot pass silently; after the
 * class it forces garbage collection, makes Netty poll its leak queue, and fails with the leak
 * records if there are any.
 */
public final class LeakGuard implements BeforeAllCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        touchAllocators();
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            throw new IllegalStateException("Netty's leak detector must run at PARANOID for these tests, it is at "
                    + ResourceLeakDetector.getLevel() + ": run them through Maven (surefire sets "
                    + "io.netty.leakDetection.level=paranoid)");
        }
        if (!FailingLeakDetector.isInstalledForByteBuf()) {
            throw new IllegalStateException("FailingLeakDetector is not Netty's ByteBuf leak detector: run the tests "
                    + "through Maven (surefire sets io.netty.customResourceLeakDetector)");
        }
        List<String> before = FailingLeakDetector.drain();
        if (!before.isEmpty()) {
            throw new AssertionError(before.size() + " Netty buffer leak(s) reported before "
                    + context.getDisplayName() + " (from an earlier class):\n" + String.join("\n\n", before));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        for (int round = 0; round < 4; round++) {
            System.gc();
            Thread.sleep(40);
            // A leak is reported when the detector next tracks a buffer: allocate some to make it look.
            touchAllocators();
        }
        List<String> leaks = FailingLeakDetector.drain();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty buffer leak(s) during " + context.getDisplayName() + ":\n"
                    + String.join("\n\n", leaks));
        }
    }

    private static void touchAllocators() {
        for (ByteBufAllocator a : new ByteBufAllocator[] {ByteBufAllocator.DEFAULT, PooledByteBufAllocator.DEFAULT,
                UnpooledByteBufAllocator.DEFAULT}) {
            ByteBuf direct = a.directBuffer(8);
            ByteBuf heap = a.heapBuffer(8);
            direct.release();
            heap.release();
        }
    }
}
