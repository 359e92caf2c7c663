package io.raida.protocol.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientOptionsTest {

    @Test
    void timeoutsAndThreadsMustBePositiveAndTheMessageNamesTheOption() {
        assertThatThrownBy(() -> ClientOptions.builder().timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout must be positive, got PT0S");
        assertThatThrownBy(() -> ClientOptions.builder().connectTimeout(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("connectTimeout must be positive, got PT-0.005S");
        assertThatThrownBy(() -> ClientOptions.builder().timeout(null))
                .isInstanceOf(NullPointerException.class).hasMessage("timeout");
        assertThatThrownBy(() -> ClientOptions.builder().ioThreads(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("ioThreads must be positive, got 0");
    }

    @Test
    void positiveValuesAreKeptAndSurviveToBuilder() {
        ClientOptions o = ClientOptions.builder().timeout(Duration.ofMillis(1)).connectTimeout(Duration.ofMillis(2))
                .ioThreads(1).build();
        ClientOptions copy = o.toBuilder().build();
        assertThat(copy.timeout()).isEqualTo(Duration.ofMillis(1));
        assertThat(copy.connectTimeout()).isEqualTo(Duration.ofMillis(2));
        assertThat(copy.ioThreads()).isEqualTo(1);
    }
}
