package io.raida.examples;

import io.raida.protocol.cluster.ClusterOptions;
import io.raida.protocol.cluster.ProtocolPolicy;
import io.raida.protocol.cluster.RaidaListException;
import io.raida.protocol.cluster.RaidaNetwork;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Which 25 RAIDA a {@code network} command talks to, how, and how it prints: shared by every one. */
final class NetworkOptions {
    @Option(names = "--base-port", paramLabel = "P", description = "the 25 RAIDA are 127.0.0.1:P+id (default 50000)")
    String basePort;
    @Option(names = "--raida-list", paramLabel = "FILE", description = "the 25 RAIDA addresses, one host:port a line "
            + "(index = RAIDA id); instead of --base-port")
    Path raidaList;
    @Option(names = "--protocol", paramLabel = "udp|tcp|udp-then-tcp", description = "default udp-then-tcp")
    String protocol;
    @Option(names = "--timeout-ms", paramLabel = "MS", description = "one attempt to one RAIDA (default 2000)")
    String timeoutMs;
    @Option(names = "--deadline-ms", paramLabel = "MS", description = "the whole fan-out (default 8000)")
    String deadlineMs;
    @Option(names = "--transport", paramLabel = "nio|netty", description = "client transport (default nio)")
    String transport;
    @Option(names = "--json", description = "print one JSON object instead of the table")
    boolean json;
    @Option(names = "--types", description = "add a column with each RAIDA's request encryption type and the "
            + "keystream learned for it")
    boolean types;

    /** The 25 RAIDA: the list file, else loopback at the base port. */
    RaidaNetwork network() throws UsageException {
        if (raidaList != null && basePort != null) {
            throw new UsageException("give --base-port or --raida-list, not both");
        }
        if (raidaList == null) {
            return RaidaNetwork.loopback(Check.integer("--base-port", basePort, 50_000, 1, 65_535 - 24));
        }
        try {
            return RaidaNetwork.read(raidaList);
        } catch (NoSuchFileException e) {
            throw new UsageException("--raida-list " + raidaList + ": no such file");
        } catch (RaidaListException e) {
            throw new UsageException("--raida-list " + raidaList + ": " + e.getMessage());
        } catch (IOException e) {
            throw new UsageException("--raida-list " + raidaList + ": cannot read it (" + e.getClass().getSimpleName()
                    + ")");
        }
    }

    String transport() throws UsageException {
        return Check.choice("--transport", transport, "nio", "nio", "netty");
    }

    ClusterOptions options() throws UsageException {
        String p = Check.choice("--protocol", protocol, "udp-then-tcp", "udp", "tcp", "udp-then-tcp");
        ProtocolPolicy policy = switch (p) {
            case "udp" -> ProtocolPolicy.UDP_ONLY;
            case "tcp" -> ProtocolPolicy.TCP_ONLY;
            default -> ProtocolPolicy.UDP_THEN_TCP;
        };
        int timeout = Check.integer("--timeout-ms", timeoutMs, 2_000, 1, 600_000);
        int deadline = Check.integer("--deadline-ms", deadlineMs, 8_000, 1, 3_600_000);
        if (deadline < timeout) {
            throw new UsageException("--deadline-ms (" + deadline + ") must be at least --timeout-ms (" + timeout + ")");
        }
        return ClusterOptions.builder().protocol(policy).attemptTimeout(Duration.ofMillis(timeout))
                .deadline(Duration.ofMillis(deadline)).build();
    }
}
