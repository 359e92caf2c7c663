package io.raida.benchmarks;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.server.InMemoryCoinKeyResolver;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.StatusCode;
import io.raida.protocol.Transport;
import io.raida.protocol.server.DatagramReceiver;
import io.raida.protocol.server.ReplySink;
import io.raida.protocol.server.ServerExchange;
import java.nio.ByteBuffer;
import java.util.HexFormat;
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
 * The core's per-request work without any socket: decode + validate + decrypt + dispatch + encode
 * of one prebuilt request through the seam every transport uses: a reused {@link ServerExchange}
 * (feed, dispatch) for TCP and a {@link DatagramReceiver} for UDP, the reply captured by a
 * {@link ReplySink}. Echo and version are non-blocking, so they run inline as on an I/O thread.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar CorePipeline -prof gc} adds allocation per
 * operation ({@code gc.alloc.rate.norm}, bytes/op).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class CorePipelineBenchmark {
    static final int DENOMINATION = 1;
    static final long SERIAL = 1_001;
    static final byte[] AN = HexFormat.of().parseHex("b10d178eae31082c9117440d207fc57f");

    /** Request encryption type: 0 plaintext, 1 AES-128-CTR, 4 AES-256-CTR + HMAC-SHA-256. */
    @Param({"0", "1", "4"})
    public int type;

    /** echo (0/0, no reply body) or version (0/1, an 8-byte reply body, encrypted for types 1 and 4). */
    @Param({"echo", "version"})
    public String command;

    /**
     * How many coins the requests rotate over: 1 = every request under the same key (the per-thread
     * key caches hit), 1024 = each request under a different coin than the one before (they miss).
     */
    @Param({"1", "1024"})
    public int coins;

    ServerCore core;
    CorePipeline pipeline;
    ByteBuffer[] frames;
    ClientRequest[] requests;

    @Setup
    public void setup() {
        InMemoryCoinKeyResolver keys = new InMemoryCoinKeyResolver();
        frames = new ByteBuffer[coins];
        requests = new ClientRequest[coins];
        java.util.SplittableRandom random = new java.util.SplittableRandom(coins);
        for (int i = 0; i < coins; i++) {
            byte[] an = AN.clone();
            if (i > 0) {
                for (int j = 0; j < an.length; j++) {
                    an[j] = (byte) random.nextInt(256);
                }
            }
            keys.putCoin(DENOMINATION, SERIAL + i, an);
            requests[i] = request(type, command, SERIAL + i, an);
            frames[i] = ByteBuffer.wrap(requests[i].frame());
        }
        // the benchmark answers the same pre-built frames again and again, which the replay cache
        // (on by default) rightly refuses with 177; its cost needs fresh frames, measured separately
        core = ServerCore.builder().raidaId(0).coinId(6).keyResolver(keys).noReplayProtection().build();
        pipeline = new CorePipeline(core, frames);
        for (int i = 0; i < 2 * coins; i++) {
            byte[] reply = i % 2 == 0 ? tcp() : udp();
            if ((reply[2] & 0xFF) != StatusCode.STATUS_SUCCESS.code()) {
                throw new IllegalStateException("benchmark request for type " + type + " " + command + " answered "
                        + StatusCode.describe(reply[2] & 0xFF) + ": it would measure an error path");
            }
        }
    }

    static ClientRequest request(int type, String command) {
        return request(type, command, SERIAL, AN);
    }

    static ClientRequest request(int type, String command, long serial, byte[] an) {
        RequestBuilder b = RequestBuilder.command(0, 0, command.equals("echo") ? 0 : 1).coinId(6);
        switch (type) {
            case 0:
                break;
            case 1:
                b.encryptWithCoin(DENOMINATION, serial, an);
                break;
            case 4:
                b.authenticateWithCoin(DENOMINATION, serial, an);
                break;
            default:
                throw new IllegalArgumentException("type " + type);
        }
        return b.build();
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
