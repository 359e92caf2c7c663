package io.raida.examples;

import io.raida.legacy.Cc2Coin;
import io.raida.protocol.crypto.KeystreamMode;
import io.raida.protocol.Transport;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaTransportProvider;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code client}: echo and version (or a shard-2 detect) against one RAIDA; {@code client stats}: its counters. */
@Command(name = "client", mixinStandardHelpOptions = true, versionProvider = LibraryVersion.class,
        subcommands = ClientStatsCli.class,
        description = {"Call echo and version with encryption types 0, 1 and 4 over UDP and TCP.",
            "Without options: RAIDA 0 at 127.0.0.1:50000 with the first demo coin as key."},
        footer = {"Environment:", "  RAIDA_AN  the key coin's AN (32 hex digits) when --denomination and "
                + "--serial-number are given without --an or --an-file"})
final class ClientCli implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    LogLevelOption logLevel;
    @Mixin
    TargetOptions target;
    @Option(names = "--protocol", paramLabel = "udp|tcp|both", description = "default both")
    String protocol;
    @Option(names = "--types", paramLabel = "0,1,4", description = "encryption types (default 0,1,4; "
            + "with --detect-shard2: 0)")
    String types;
    @Option(names = "--keystream", paramLabel = "auto|continue|restart", description = "where a type 1 reply's "
            + "keystream starts (default auto: learned with one type 1 version call; restart: reference servers "
            + "on CPUs without AES-NI)")
    String keystream;
    @Option(names = "--denomination", paramLabel = "-8..6", description = "the key coin's denomination")
    String denomination;
    @Option(names = "--serial-number", paramLabel = "SN", description = "the key coin's serial number")
    String serialNumber;
    @Option(names = "--an", paramLabel = "HEX", description = "the key coin's AN, 32 hex digits (visible in ps: "
            + "prefer --an-file or RAIDA_AN)")
    String an;
    @Option(names = "--an-file", paramLabel = "FILE", description = "file whose first line is the key coin's AN")
    Path anFile;
    @Option(names = "--detect-shard2", paramLabel = "SN:AN,...", description = "instead of echo/version: a shard-2 "
            + "detect (group 1, code 10) of these coins; prints pass/fail per coin")
    String detectShard2;

    ClientCli(Cli cli) {
        this.cli = cli;
        this.target = new TargetOptions();
    }

    ClientSettings settings() throws UsageException {
        String transport = target.transport();
        int raidaId = target.raidaId();
        int port = target.port();
        int coinId = target.coinId();
        List<Transport> protocols = ClientSettings.protocols(Check.choice("--protocol", protocol, "both", "udp", "tcp",
                "both"));
        List<Cc2Coin> shard2 = detectShard2 != null ? Shard2Detect.parseCoins(detectShard2) : List.of();
        if (!shard2.isEmpty()) {
            cli.err().println("warning: the ANs of --detect-shard2 on the command line can be read by other users "
                    + "(ps, shell history)");
        }
        // one detect per protocol and type: type 0 unless --types asks for 1/4 (encrypted with the key coin)
        List<Call> calls = ClientSettings.calls(types != null ? types : shard2.isEmpty() ? "0,1,4" : "0");
        DemoCoins.Coin coin = coin();
        String ksWord = Check.choice("--keystream", keystream, "auto", "auto", "continue", "restart");
        KeystreamMode ks = ksWord.equals("auto") ? null : KeystreamMode.valueOf(ksWord.toUpperCase(Locale.ROOT));
        return new ClientSettings(transport, target.host(), port, raidaId, coinId, protocols, calls, coin, ks,
                target.timeout(), shard2);
    }

    /** --denomination, --serial-number and the AN (option, file or RAIDA_AN) together, or none: the demo coin. */
    private DemoCoins.Coin coin() throws UsageException {
        boolean anOption = an != null || anFile != null;
        if (denomination == null && serialNumber == null && !anOption) {
            return DemoCoins.defaultCoin(); // RAIDA_AN alone does not pick a coin
        }
        if (denomination == null || serialNumber == null || !Secret.AN.given(an, anFile, cli)) {
            throw new UsageException("give --denomination, --serial-number and --an (or --an-file, or RAIDA_AN) "
                    + "together (or none for the demo coin)");
        }
        int den = Check.integer("--denomination", denomination, 0, -8, 6);
        long sn = Check.longValue("--serial-number", serialNumber, 0, 0, 1_023_999);
        byte[] key = Secret.AN.resolve(an, anFile, cli);
        return new DemoCoins.Coin(den, sn, HexFormat.of().formatHex(key));
    }

    @Override
    public Integer call() throws UsageException {
        ClientSettings s = settings();
        PrintStream out = cli.out();
        InetSocketAddress raida = new InetSocketAddress(s.host(), s.port());
        if (raida.isUnresolved()) {
            out.println("client: cannot resolve host " + s.host());
            return Main.FAILED;
        }
        out.printf("%s client -> RAIDA %d at %s:%d, coin id %d, key %s%s%n", s.transport(), s.raidaId(), s.host(),
                s.port(), s.coinId(), s.coin(), s.shard2Coins().isEmpty() ? ""
                        : ", shard-2 detect of " + s.shard2Coins().size() + " coins");
        RaidaTransportProvider provider;
        try {
            provider = RaidaTransportProvider.named(s.transport());
        } catch (IllegalArgumentException e) {
            out.println("client: " + e.getMessage());
            return Main.FAILED;
        }
        try (RaidaClient client = provider.newClient(ClientOptions.builder().timeout(s.timeout()).build())) {
            List<CallResult> results = s.shard2Coins().isEmpty() ? CallRunner.run(client, raida, s, out)
                    : Shard2Detect.run(client, raida, CallRunner.calibrated(client, raida, s, out), out);
            return CallRunner.summarize("client", results, out) ? Main.OK : Main.FAILED;
        }
    }
}
