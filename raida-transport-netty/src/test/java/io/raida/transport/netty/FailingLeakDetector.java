package io.raida.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;

/**
 * Netty's leak detector with reports collected instead of only logged, so {@link LeakGuard} can fail
 * the tests. Installed for every resource type by the surefire system property
 * {@code io.netty.customResourceLeakDetector}; the level is set to PARANOID there too (every buffer
 * tracked, with access records).
 */
public final class FailingLeakDetector<T> extends ResourceLeakDetector<T> {
    private static final List<String> LEAKS = new ArrayList<>();
    private static volatile boolean byteBufTracked;
    /** Set by the self-test while it leaks on purpose, so the build log shows no alarming false report. */
    static volatile boolean quiet;

    public FailingLeakDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
        if (resourceType == ByteBuf.class) {
            byteBufTracked = true;
        }
    }

    public FailingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        this(resourceType, samplingInterval);
    }

    /** Report even when the logger would not print: a leak must never pass unnoticed. */
    @Override
    protected boolean needReport() {
        return true;
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        record("LEAK: " + resourceType + ".release() was not called before it was garbage-collected." + records);
        if (!quiet) {
            super.reportTracedLeak(resourceType, records);
        }
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        record("LEAK: " + resourceType + ".release() was not called before it was garbage-collected "
                + "(no access records)");
        if (!quiet) {
            super.reportUntracedLeak(resourceType);
        }
    }

    private static void record(String report) {
        synchronized (LEAKS) {
            LEAKS.add(report);
        }
    }

    /** Reports collected since the last call, which clears them. */
    static List<String> drain() {
        synchronized (LEAKS) {
            List<String> copy = new ArrayList<>(LEAKS);
            LEAKS.clear();
            return copy;
        }
    }

    /** True once Netty's ByteBuf detector is an instance of this class. */
    static boolean isInstalledForByteBuf() {
        return byteBufTracked;
    }
}
