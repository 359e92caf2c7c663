package io.raida.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raida.protocol.cluster.BatchResult;
import io.raida.protocol.cluster.ClusterReply;
import io.raida.protocol.cluster.Coin;
import io.raida.protocol.cluster.CoinAuthenticator;
import io.raida.protocol.cluster.CoinFile;
import io.raida.protocol.cluster.CoinFileException;
import io.raida.protocol.cluster.CoinHealer;
import io.raida.protocol.cluster.CoinResult;
import io.raida.protocol.cluster.FindResult;
import io.raida.protocol.cluster.FixResult;
import io.raida.protocol.cluster.Grade;
import io.raida.protocol.cluster.HealListener;
import io.raida.protocol.cluster.HealResult;
import io.raida.protocol.cluster.HealedCoin;
import io.raida.protocol.cluster.RaidaCluster;
import io.raida.protocol.cluster.RaidaNetwork;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * The {@code network} commands on coin files (format 9): detect, pown, find, fix and heal. A coin
 * file is rewritten (atomically, by {@link CoinFile#write}) only once its coin's result is decided.
 */
final class NetworkCoinCli {
    private NetworkCoinCli() {
    }

    /** One coin's line of output: its file, the result and whether the file was rewritten. */
    record CoinLine(Path file, Coin coin, Grade grade, boolean written, String note) {
    }

    /** Reads the coin files; a missing, unreadable or malformed file is a usage error naming it. */
    static List<CoinFile> readAll(List<Path> files) throws UsageException {
        List<CoinFile> out = new ArrayList<>();
        for (Path f : files) {
            try {
                out.add(CoinFile.read(f));
            } catch (NoSuchFileException e) {
                throw new UsageException(f + ": no such coin file");
            } catch (CoinFileException e) {
                throw new UsageException(f + ": not a coin file (" + e.getMessage() + ")");
            } catch (IOException e) {
                throw new UsageException(f + ": cannot read it (" + e.getClass().getSimpleName() + ")");
            }
        }
        return out;
    }

    /** What every command with per-coin lines shares: the tables, the coin lines and the exit status. */
    abstract static class Reporting extends NetworkCli.Base {
        Reporting(Cli cli) {
            super(cli);
        }

        /** Prints the tables of {@code replies} (may be empty), then the coin lines; the exit status. */
        int report(RaidaCluster cluster, List<ClusterReply> replies, List<CoinLine> lines, List<String> notes)
                throws IOException {
            return report(cluster, replies, lines, notes,
                    lines.stream().allMatch(l -> l.grade() == Grade.AUTHENTIC || l.grade() == Grade.FRACKED));
        }

        /** As {@link #report(RaidaCluster, List, List, List)} with the verdict {@code ok} given. */
        int report(RaidaCluster cluster, List<ClusterReply> replies, List<CoinLine> lines, List<String> notes,
                   boolean ok) throws IOException {
            PrintStream out = cli.out();
            if (net.json) {
                ObjectMapper m = new ObjectMapper();
                ObjectNode root = jsonRoot(m);
                ArrayNode requests = root.putArray("requests");
                for (ClusterReply r : replies) {
                    json(requests.addObject(), cluster, r, null, null);
                }
                ArrayNode coins = root.putArray("coins");
                for (CoinLine l : lines) {
                    ObjectNode c = coins.addObject();
                    c.put("file", l.file().toString());
                    c.put("denomination", l.coin().denomination());
                    c.put("serial_number", l.coin().serialNumber());
                    c.put("pown", l.coin().pown().toString());
                    c.put("grade", l.grade().word());
                    c.put("file_rewritten", l.written());
                    if (!l.note().isEmpty()) {
                        c.put("note", l.note());
                    }
                }
                ArrayNode n = root.putArray("notes");
                notes.forEach(n::add);
                root.put("ok", ok);
                out.println(m.writeValueAsString(root));
            } else {
                for (int i = 0; i < replies.size(); i++) {
                    if (replies.size() > 1) {
                        out.printf("request %d of %d%n", i + 1, replies.size());
                    }
                    table(out, cluster, replies.get(i), null, null);
                }
                notes.forEach(out::println);
                for (CoinLine l : lines) {
                    out.printf("%s  %d  %s  %s%s%s%n", l.file(), l.coin().serialNumber(), l.coin().pown(),
                            l.grade().word(), l.written() ? "  (file rewritten)" : "",
                            l.note().isEmpty() ? "" : "  " + l.note());
                }
            }
            out.flush();
            return ok ? Main.OK : Main.FAILED;
        }
    }

    /** What the coin commands share: the files as parameters. */
    abstract static class CoinBase extends Reporting {
        @Parameters(paramLabel = "FILE", arity = "1..*", description = "coin files (format 9)")
        List<Path> files;
        List<CoinFile> coinFiles;

        CoinBase(Cli cli) {
            super(cli);
        }

        @Override
        void check() throws UsageException {
            coinFiles = readAll(files);
        }

        List<Coin> coins() {
            return coinFiles.stream().map(CoinFile::coin).toList();
        }

        /** Waits for every RAIDA (within the deadline): an operator wants the whole POWN string, not just the grade. */
        static CoinAuthenticator authenticator(RaidaCluster cluster) {
            return CoinAuthenticator.unencrypted(cluster).completeWhenDecided(false);
        }

        /** The coins after a detect (the POWN strings the heal starts from); coins with PANs are left as they are. */
        BatchResult detect(RaidaCluster cluster) throws Exception {
            return await(cluster, authenticator(cluster).detect(coins()));
        }
    }

    /** {@code network detect}. */
    @Command(name = "detect", mixinStandardHelpOptions = true, versionProvider = LibraryVersion.class,
            description = {"Detect (1/10) coin files on all 25 RAIDA: per coin its POWN string and grade.",
                "The files are not changed."})
    static final class Detect extends CoinBase {
        Detect(Cli cli) {
            super(cli);
        }

        @Override
        String name() {
            return "detect";
        }

        @Override
        int run(RaidaCluster cluster) throws Exception {
            BatchResult r = detect(cluster);
            List<CoinLine> lines = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                CoinResult c = r.coins().get(i);
                lines.add(new CoinLine(files.get(i), c.coin(), c.grade(), false, ""));
            }
            return report(cluster, r.replies(), lines, List.of());
        }
    }

    /** {@code network pown}. */
    @Command(name = "pown", mixinStandardHelpOptions = true, versionProvider = LibraryVersion.class,
            description = {"Pown (1/20) coin files: every RAIDA where the coin passes takes a new random AN.",
                "A file is rewritten atomically once its coin's grade is decided, with the new ANs; a coin left in",
                "limbo keeps its old ANs and gets the new ones as PANs in its file (network heal resolves it)."})
    static final class Pown extends CoinBase {
        private static final SecureRandom RANDOM = new SecureRandom();

        Pown(Cli cli) {
            super(cli);
        }

        @Override
        String name() {
            return "pown";
        }

        @Override
        void check() throws UsageException {
            super.check();
            for (int i = 0; i < files.size(); i++) {
                if (coinFiles.get(i).hasPans()) {
                    throw new UsageException(files.get(i) + " holds PANs (a pown in limbo): run network heal on it first");
                }
            }
        }

        @Override
        int run(RaidaCluster cluster) throws Exception {
            List<List<byte[]>> pans = new ArrayList<>();
            for (int c = 0; c < files.size(); c++) {
                List<byte[]> p = new ArrayList<>();
                for (int r = 0; r < RaidaNetwork.SIZE; r++) {
                    byte[] an = new byte[16];
                    RANDOM.nextBytes(an);
                    p.add(an);
                }
                pans.add(p);
            }
            BatchResult r = await(cluster, authenticator(cluster).pown(coins(), pans));
            List<CoinLine> lines = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                CoinResult c = r.coins().get(i);
                if (c.grade() != Grade.LIMBO) {
                    CoinFile.of(c.coin()).write(files.get(i));
                    lines.add(new CoinLine(files.get(i), c.coin(), c.grade(), true, ""));
                } else {
                    new CoinFile(c.coin(), pans.get(i)).write(files.get(i));
                    lines.add(new CoinLine(files.get(i), c.coin(), c.grade(), true,
                            "PANs kept in the file: run network heal"));
                }
            }
            return report(cluster, r.replies(), lines, List.of());
        }
    }

    /** {@code network find}. */
    @Command(name = "find", mixinStandardHelpOptions = true, versionProvider = LibraryVersion.class,
            description = {"Find (2/60) coins in limbo: for each file holding PANs, does each RAIDA hold the AN or the",
                "PAN? The file is rewritten with what each RAIDA holds once every RAIDA answered."})
    static final class Find extends CoinBase {
        Find(Cli cli) {
            super(cli);
        }

        @Override
        String name() {
            return "find";
        }

        @Override
        void check() throws UsageException {
            super.check();
            for (int i = 0; i < files.size(); i++) {
                if (!coinFiles.get(i).hasPans()) {
                    throw new UsageException(files.get(i) + " holds no PANs (not in limbo): use network detect");
                }
            }
        }

        @Override
        int run(RaidaCluster cluster) throws Exception {
            List<List<byte[]>> pans = coinFiles.stream().map(CoinFile::pans).toList();
            FindResult r = await(cluster, CoinHealer.unencrypted(cluster).find(coins(), pans));
            List<CoinLine> lines = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                Coin c = r.coins().get(i);
                int unknown = Collections.frequency(r.matches().get(i), FindResult.Match.UNKNOWN);
                if (unknown == 0) {
                    CoinFile.of(c).write(files.get(i));
                    lines.add(new CoinLine(files.get(i), c, c.grade(), true, matches(r.matches().get(i))));
                } else {
                    lines.add(new CoinLine(files.get(i), c, c.grade(), false, matches(r.matches().get(i))
                            + ": " + unknown + " RAIDA did not tell, file kept"));
                }
            }
            return report(cluster, r.replies(), lines, List.of());
        }

        /** "find aaappnn...": per RAIDA a = AN, p = PAN, n = neither, ? = no answer. */
        private static String matches(List<FindResult.Match> m) {
            StringBuilder b = new StringBuilder("find ");
            for (FindResult.Match x : m) {
                b.append(switch (x) {
                    case AN -> 'a';
                    case PAN -> 'p';
                    case NEITHER -> 'n';
                    case UNKNOWN -> '?';
                });
            }
            return b.toString();
        }
    }

    /** Fix and heal: detect, then the healer's rounds; files rewritten for decided coins. */
    abstract static class HealBase extends CoinBase {
        HealBase(Cli cli) {
            super(cli);
        }

        abstract int rounds();

        @Override
        int run(RaidaCluster cluster) throws Exception {
            // the healer leaves coins alone that their POWN strings call authentic: detect first
            List<Coin> clean = new ArrayList<>();
            for (CoinFile f : coinFiles) {
                if (!f.hasPans()) {
                    clean.add(f.coin());
                }
            }
            List<ClusterReply> replies = new ArrayList<>();
            List<Coin> start = new ArrayList<>(coins());
            if (!clean.isEmpty()) {
                BatchResult d = await(cluster, authenticator(cluster).detect(clean));
                replies.addAll(d.replies());
                int k = 0;
                for (int i = 0; i < start.size(); i++) {
                    if (!coinFiles.get(i).hasPans()) {
                        start.set(i, d.coins().get(k++).coin());
                    }
                }
            }
            List<String> notes = Collections.synchronizedList(new ArrayList<>());
            CoinHealer healer = CoinHealer.unencrypted(cluster).withMaxRounds(rounds()).withListener(new HealListener() {
                @Override
                public void fixed(int round, FixResult fix) {
                    notes.add("round " + round + ": fix at RAIDA " + fix.raidaId() + ": "
                            + fix.fixed().toString().toLowerCase(Locale.ROOT));
                }
            });
            List<List<byte[]>> pans = new ArrayList<>();
            for (CoinFile f : coinFiles) {
                pans.add(f.hasPans() ? f.pans() : null);
            }
            HealResult h;
            try (Progress p = Progress.start(cli, "network " + name(), cluster)) {
                h = healer.heal(start, pans);
            }
            List<CoinLine> lines = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                HealedCoin c = h.coins().get(i);
                boolean decided = c.grade() != Grade.LIMBO;
                if (decided) {
                    c.toCoinFile().write(files.get(i));
                }
                lines.add(new CoinLine(files.get(i), c.coin(), c.grade(), decided,
                        c.fixedOn().isEmpty() ? "" : "fixed on RAIDA " + c.fixedOn()));
            }
            return report(cluster, replies, lines, notes);
        }
    }

    /** {@code network fix}. */
    @Command(name = "fix", mixinStandardHelpOptions = true, versionProvider = LibraryVersion.class,
            description = {"One healing round on coin files: detect, then tickets (2/40) and a fix (2/80) at every RAIDA",
                "where a coin fails. A file is rewritten atomically with the new ANs once its grade is decided."})
    static final class Fix extends HealBase {
        Fix(Cli cli) {
            super(cli);
        }

        @Override
        String name() {
            return "fix";
        }

        @Override
        int rounds() {
            return 1;
        }
    }

    /** {@code network heal}. */
    @Command(name = "heal", mixinStandardHelpOptions = true, versionProvider = LibraryVersion.class,
            description = {"Heal coin files: find for coins in limbo (PANs in the file), detect, then fix rounds until",
                "the grade stops improving. A file is rewritten atomically once its coin's grade is decided."})
    static final class Heal extends HealBase {
        Heal(Cli cli) {
            super(cli);
        }

        @Override
        String name() {
            return "heal";
        }

        @Override
        int rounds() {
            return 3;
        }
    }
}
