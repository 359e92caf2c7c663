package io.raida.benchmarks;

import io.raida.protocol.StatusCode;
import io.raida.protocol.server.InMemoryCoinKeyResolver;
import io.raida.protocol.server.ServerCore;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the replay cache (issue 20) costs a type 4 request: the {@link CorePipelineBenchmark} path
 * with the server's default replay protection ({@code on}: 65 536 entries, 5 minutes) against none
 * ({@code off}). Every frame must be new to the cache, so the requests rotate over a ring of
 * distinct frames (each with its own nonce and tag) four times larger than the 2 × 65 536 tags the
 * cache can remember; the set-up checks that two whole passes are answered 250, so no replay (177)
 * is ever what is measured.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar ReplayProtection -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ReplayProtectionBenchmark {
    /** on: the server's default replay cache; off: {@code noReplayProtection()}. */
    @Param({"off", "on"})
    public String replay;

    /** echo (0/0) or version (0/1), both type 4. */
    @Param({"echo", "version"})
    public String command;

    /** Distinct frames the requests rotate over. */
    @Param({"524288"})
    public int ring;

    CorePipeline pipeline;
    ByteBuffer[] frames;

    @Setup
    public void setup() {
        InMemoryCoinKeyResolver keys = new InMemoryCoinKeyResolver();
        keys.putCoin(CorePipelineBenchmark.DENOMINATION, CorePipelineBenchmark.SERIAL, CorePipelineBenchmark.AN);
        frames = new ByteBuffer[ring];
        for (int i = 0; i < ring; i++) {
            frames[i] = ByteBuffer.wrap(CorePipelineBenchmark.request(4, command).frame());
        }
        ServerCore.Builder b = ServerCore.builder().raidaId(0).coinId(6).keyResolver(keys);
        if (replay.equals("off")) {
            b.noReplayProtection();
        } else if (!replay.equals("on")) {
            throw new IllegalArgumentException("replay must be on or off, got " + replay);
        }
        pipeline = new CorePipeline(b.build(), frames);
        for (int i = 0; i < 2 * ring; i++) {
            byte[] r = i % 2 == 0 ? tcp() : udp();
            if ((r[2] & 0xFF) != StatusCode.STATUS_SUCCESS.code()) {
                throw new IllegalStateException("replay " + replay + " " + command + " request " + i + " answered "
                        + StatusCode.describe(r[2] & 0xFF) + ": it would measure an error path");
            }
        }
    }

    /** Ends the dispatcher's worker thread. */
    @TearDown
    public void tearDown() {
        pipeline.shutdown();
    }

    /** The TCP path: the whole frame arrives in one read. */
    @Benchmark
    public byte[] tcp() {
        return pipeline.tcp();
    }

    /** The UDP path: one datagram decoded in place. */
    @Benchmark
    public byte[] udp() {
        return pipeline.udp();
    }
}
