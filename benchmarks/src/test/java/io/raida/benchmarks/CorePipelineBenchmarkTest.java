package io.raida.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.RaidaResponse;
import io.raida.protocol.ResponseParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The benchmark measures the success path: every configuration's reply parses, verifies and decrypts. */
class CorePipelineBenchmarkTest {

    @ParameterizedTest
    @CsvSource({"0, echo", "0, version", "1, echo", "1, version", "4, echo", "4, version"})
    void everyConfigurationAnswersSuccessRepeatedly(int type, String command) {
        CorePipelineBenchmark b = new CorePipelineBenchmark();
        b.type = type;
        b.command = command;
        b.setup();
        for (int i = 0; i < 3; i++) {
            for (byte[] reply : new byte[][] {b.tcp(), b.udp()}) {
                RaidaResponse r = ResponseParser.parse(b.request, reply);
                assertThat(r.isSuccess()).isTrue();
                assertThat(r.payload()).hasSize(command.equals("version") ? 8 : 0);
            }
        }
    }
}
