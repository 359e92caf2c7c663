package io.raida.protocol.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.Transport;
import org.junit.jupiter.api.Test;

/** Issue 19: how handlers are marked as waiting, and which requests go to their bulkhead. */
class WaitingRegistrationTest {
    private static final CommandHandler OK = req -> CommandResult.success(new byte[0]);

    @Test
    void waitingRegistrationsNameTheirBulkhead() {
        CommandRegistry r = new CommandRegistry();
        r.register(1, 1, OK).registerNonBlocking(1, 2, OK).registerWaiting(1, 3, OK).registerWaiting(1, 4, "db", OK);
        assertThat(r.lookup(1, 1).waiting()).isFalse();
        assertThat(r.lookup(1, 1).bulkhead()).isNull();
        assertThat(r.lookup(1, 2).waiting()).isFalse();
        assertThat(r.lookup(1, 3).bulkhead()).isEqualTo(CommandRegistry.WAITING);
        assertThat(r.lookup(1, 4).bulkhead()).isEqualTo("db");
        assertThat(r.lookup(1, 4).nonBlocking()).isFalse();
    }

    @Test
    void theLocalBulkheadNameAndBlankNamesAreRefused() {
        CommandRegistry r = new CommandRegistry();
        assertThatThrownBy(() -> r.registerWaiting(1, 1, ServerStats.LOCAL_BULKHEAD, OK))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"local\"");
        assertThatThrownBy(() -> r.registerWaiting(1, 1, " ", OK)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.registerWaiting(1, 1, null, OK)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aSelectorSendsOnlyTheRequestsThatWaitToTheBulkhead() {
        ServerCore core = ServerCore.builder().raidaId(1).coinId(6).build();
        core.registry().registerWaiting(1, 10, "cc2", req -> req.shardId() == 2, OK);
        core.registry().registerWaiting(1, 11, "odd", req -> {
            throw new IllegalStateException("selector bug");
        }, OK);
        assertThat(bulkheadOf(core, 1, 10, 2)).isEqualTo("cc2");
        assertThat(bulkheadOf(core, 1, 10, 0)).as("other shards stay local").isNull();
        assertThat(bulkheadOf(core, 1, 11, 0)).as("a failing selector counts as waiting").isEqualTo("odd");
    }

    private static String bulkheadOf(ServerCore core, int group, int code, int shard) {
        RequestDecoder d = core.newDecoder();
        d.reset(Transport.TCP, null, System.nanoTime());
        byte[] frame = RequestBuilder.command(1, group, code).shard(shard).payload(new byte[21]).build().frame();
        d.feed(frame, 0, frame.length);
        assertThat(d.state()).isEqualTo(RequestDecoder.State.PROCESSING);
        return d.bulkhead();
    }
}
