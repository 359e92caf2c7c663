package io.raida.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.function.LongUnaryOperator;

/** What a side of a benchmark spent: CPU time and heap allocation of its threads and the calling thread. */
final class ThreadCost {
    private ThreadCost() {
    }

    /** CPU nanoseconds of {@code threads} and the calling thread so far. */
    static long cpuNanos(Collection<Thread> threads) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        return sum(threads, mx::getThreadCpuTime);
    }

    /** Heap bytes allocated by {@code threads} and the calling thread so far (0 where the JVM does not say). */
    static long allocatedBytes(Collection<Thread> threads) {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx)) {
            return 0;
        }
        return sum(threads, mx::getThreadAllocatedBytes);
    }

    private static long sum(Collection<Thread> threads, LongUnaryOperator perThreadId) {
        Thread self = Thread.currentThread();
        long total = Math.max(0, perThreadId.applyAsLong(self.getId()));
        for (Thread t : threads) {
            if (t != self) {
                total += Math.max(0, perThreadId.applyAsLong(t.getId())); // -1 once a thread has ended
            }
        }
        return total;
    }
}
