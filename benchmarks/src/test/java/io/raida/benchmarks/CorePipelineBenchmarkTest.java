package io.raida.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.ResponseParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The benchmark measures the success path: every configuration's reply parses, verifies and decrypts. */
class CorePipelineBenchmarkTest {

    @ParameterizedTest
    @CsvSource({"0, echo, 1", "0, version, 1", "1, echo, 1", "1, version, 1", "4, echo, 1", "4, version, 1",
        "1, echo, 5", "1, version, 5", "4, echo, 5", "4, version, 5"})
    void everyConfigurationAnswersSuccessRepeatedly(int type, String command, int coins) {
        CorePipelineBenchmark b = new CorePipelineBenchmark();
        b.type = type;
        b.command = command;
        b.coins = coins;
        b.setup();
        try {
            for (int i = 0; i < 3 * coins; i++) {
                ClientRequest sent = b.requests[i % coins];
                byte[] reply = i % 2 == 0 ? b.tcp() : b.udp();
                RaidaResponse r = ResponseParser.parse(sent, reply);
                assertThat(r.isSuccess()).isTrue();
                assertThat(r.payload()).hasSize(command.equals("version") ? 8 : 0);
            }
        } finally {
            b.tearDown();
        }
    }
}
