package io.raida.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raida.examples.NetworkCoinCli.CoinLine;
import io.raida.protocol.cluster.BatchResult;
import io.raida.protocol.cluster.ClusterReply;
import io.raida.protocol.cluster.Coin;
import io.raida.protocol.cluster.CoinFile;
import io.raida.protocol.cluster.CoinResult;
import io.raida.protocol.cluster.Grade;
import io.raida.protocol.cluster.LockerClient;
import io.raida.protocol.cluster.LockerCoin;
import io.raida.protocol.cluster.LockerKey;
import io.raida.protocol.cluster.LockerPeek;
import io.raida.protocol.cluster.PownString;
import io.raida.protocol.cluster.RaidaCluster;
import io.raida.protocol.cluster.RaidaNetwork;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code network locker put|peek|remove}: sending and receiving coin files by transmit code
 * (lockers.md) with {@link LockerClient}, in the {@code network} style (25-row tables, per-coin
 * lines, {@code --json}, exit status 0/1/2).
 */
@Command(name = "locker", mixinStandardHelpOptions = true, versionProvider = LibraryVersion.class,
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {NetworkLockerCli.Put.class, NetworkLockerCli.Peek.class, NetworkLockerCli.Remove.class},
        description = {"Send and receive coins by transmit code (lockers, group 8): the sender puts coin files "
                + "into the locker of a code, the receiver peeks into it and removes the coins with new ANs.",
            "The code (e.g. ABC-1234) is the locker's only secret: outer white space is removed, case is kept "
                    + "(abc-1234 and ABC-1234 are two lockers); a code with inner white space or a non-ASCII "
                    + "character is refused. On a shared machine other users see command arguments (ps).",
            "Exit status: 0 done (every coin sent, listed or received), 1 otherwise, 2 usage error."})
final class NetworkLockerCli implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    LogLevelOption logLevel;

    NetworkLockerCli(Cli cli) {
        // the subcommands get the Cli through Main's factory
    }

    @Override
    public Integer call() {
        throw Main.missingCommand(spec);
    }

    /** What the locker commands share: the transmit code. */
    abstract static class LockerBase extends NetworkCoinCli.Reporting {
        @Parameters(index = "0", paramLabel = "CODE", description = "the transmit code, e.g. ABC-1234")
        String typedCode;
        @Option(names = "--upper-case", description = "upper-case the code first (the codes clients generate are "
                + "upper case; without this option abc-1234 names another locker than ABC-1234)")
        boolean upperCase;
        /** The code as the key derivation takes it. */
        String code;

        LockerBase(Cli cli) {
            super(cli);
        }

        @Override
        void check() throws UsageException {
            try {
                code = LockerKey.normalize(upperCase && typedCode != null ? typedCode.toUpperCase(Locale.ROOT)
                        : typedCode);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage()); // the messages never show the code
            }
        }
    }

    /** {@code network locker put}. */
    @Command(name = "put", mixinStandardHelpOptions = true, versionProvider = LibraryVersion.class,
            description = {"Put (8/82) the coins of coin files into the locker of CODE on all 25 RAIDA: a 25-row "
                    + "table, then per coin its POWN string (p = in the locker on that RAIDA) and grade.",
                "Before anything is sent each file gets the code's 25 locker keys as PANs. A coin in the locker "
                        + "on at least 13 RAIDA is sent: its file moves to the sent folder (beside it, or "
                        + "--sent-dir). Otherwise the file stays: unchanged when no RAIDA took the coin, else "
                        + "with its PANs (run network heal on it, then put it again).",
                "Exit status: 0 when every coin was sent, 1 otherwise, 2 usage error (nothing sent)."})
    static final class Put extends LockerBase {
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE", description = "coin files (format 9)")
        List<Path> files;
        @Option(names = "--sent-dir", paramLabel = "DIR", description = "where the files of sent coins go "
                + "(default: the folder sent beside each file)")
        Path sentDir;
        private List<CoinFile> coinFiles;
        private final List<Path> targets = new ArrayList<>();

        Put(Cli cli) {
            super(cli);
        }

        @Override
        String name() {
            return "locker put";
        }

        @Override
        void check() throws UsageException {
            super.check();
            coinFiles = NetworkCoinCli.readAll(files);
            Map<LockerCoin, Path> seen = new HashMap<>();
            for (int i = 0; i < files.size(); i++) {
                Path f = files.get(i);
                CoinFile c = coinFiles.get(i);
                if (c.hasPans()) {
                    throw new UsageException(f + " holds PANs (a pown, put or remove in limbo): run network heal on "
                            + "it first");
                }
                Path other = seen.putIfAbsent(LockerCoin.of(c.coin()), f);
                if (other != null) {
                    throw new UsageException("coin " + LockerCoin.of(c.coin()) + " is listed twice (" + other + " and "
                            + f + "): a RAIDA refuses such a put; nothing was sent");
                }
                Path dir = sentDir != null ? sentDir : f.toAbsolutePath().getParent().resolve("sent");
                if (Files.exists(dir) && !Files.isDirectory(dir)) {
                    throw new UsageException(dir + " is not a directory");
                }
                Path target = dir.resolve(f.getFileName());
                if (Files.exists(target) || targets.contains(target)) {
                    throw new UsageException(target + " exists: a sent coin file would replace it; move it away or "
                            + "give --sent-dir");
                }
                targets.add(target);
            }
        }

        @Override
        int run(RaidaCluster cluster) throws Exception {
            List<Coin> coins = coinFiles.stream().map(CoinFile::coin).toList();
            List<CoinFile> kept = LockerClient.preparePut(code, coins);
            for (int i = 0; i < kept.size(); i++) {
                kept.get(i).write(files.get(i)); // what recovery needs, on disk before the put
            }
            LockerClient lockers = LockerClient.unencrypted(cluster);
            BatchResult put = await(cluster, lockers.put(code, coins));
            List<ClusterReply> replies = new ArrayList<>(put.replies());
            if (anyUnknown(put)) {
                put = await(cluster, lockers.recover(LockerClient.keep(put, kept))); // find settles lost replies
                replies.addAll(put.replies());
            }
            List<CoinLine> lines = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                Coin shown = put.coins().get(i).coin();
                shown = shown.withPown(inLocker(shown));
                PownString pown = shown.pown();
                Path f = files.get(i);
                String note;
                if (pown.count('p') >= Grade.QUORUM) {
                    Path target = targets.get(i);
                    Files.createDirectories(target.getParent());
                    (pown.count('n') == 0 ? CoinFile.of(shown) : new CoinFile(shown, kept.get(i).pans()))
                            .write(target);
                    Files.delete(f);
                    note = "sent: moved to " + target;
                } else if (pown.count('p') == 0 && pown.count('n') == 0) {
                    coinFiles.get(i).write(f);
                    note = "not sent: no RAIDA took it, file unchanged";
                } else {
                    new CoinFile(shown, kept.get(i).pans()).write(f);
                    note = "not sent: in the locker on " + pown.count('p') + " RAIDA, PANs kept in the file: run "
                            + "network heal on it, then put it again";
                }
                lines.add(new CoinLine(f, shown, pown.grade(), false, note));
            }
            return report(cluster, replies, lines, List.of());
        }

        /** The coin's POWN string for the put: {@code p} only where it holds that RAIDA's locker key. */
        private PownString inLocker(Coin coin) {
            List<Integer> in = LockerClient.inLocker(code, coin);
            PownString pown = coin.pown();
            for (int r = 0; r < RaidaNetwork.SIZE; r++) {
                if (pown.letter(r) == 'p' && !in.contains(r)) {
                    pown = pown.with(r, 'f'); // find said it still holds its old AN: the put did not take
                }
            }
            return pown;
        }
    }

    /** {@code network locker peek}. */
    @Command(name = "peek", mixinStandardHelpOptions = true, versionProvider = LibraryVersion.class,
            description = {"Peek (8/83) into the locker of CODE on all 25 RAIDA: a 25-row table with the number of "
                    + "coins each lists, then per coin (denomination.serial) how many RAIDA list it, and whether the "
                    + "answering RAIDA agree. Changes nothing.",
                "Exit status: 0 when at least 13 RAIDA answered and at least one coin is listed by 13, 1 otherwise "
                        + "(an empty or unknown locker), 2 usage error."})
    static final class Peek extends LockerBase {
        Peek(Cli cli) {
            super(cli);
        }

        @Override
        String name() {
            return "locker peek";
        }

        @Override
        int run(RaidaCluster cluster) throws Exception {
            LockerPeek peek = await(cluster, LockerClient.unencrypted(cluster).peek(code));
            ClusterReply reply = peek.reply();
            IntFunction<String> listed = id -> peek.listing(id).map(l -> String.valueOf(l.size())).orElse("-");
            Set<List<LockerCoin>> distinct = new HashSet<>();
            for (int id = 0; id < RaidaNetwork.SIZE; id++) {
                peek.listing(id).ifPresent(distinct::add);
            }
            boolean agree = distinct.size() <= 1;
            List<LockerCoin> all = peek.coins(1);
            boolean ok = peek.answered() >= Grade.QUORUM && !peek.coins().isEmpty();
            PrintStream out = cli.out();
            if (net.json) {
                ObjectMapper m = new ObjectMapper();
                ObjectNode root = jsonRoot(m);
                json(root, cluster, reply, "coins_listed", listed);
                ArrayNode coins = root.putArray("coins");
                for (LockerCoin c : all) {
                    ObjectNode o = coins.addObject();
                    o.put("denomination", c.denomination());
                    o.put("serial_number", c.serialNumber());
                    o.put("listed_by", peek.listedBy(c));
                }
                root.put("listing_raida", peek.answered());
                root.put("agree", agree);
                root.put("ok", ok);
                out.println(m.writeValueAsString(root));
            } else {
                table(out, cluster, reply, "coins", listed);
                for (LockerCoin c : all) {
                    int n = peek.listedBy(c);
                    out.printf("%d.%d  listed by %d of 25 RAIDA%s%n", c.denomination(), c.serialNumber(), n,
                            n < Grade.QUORUM ? "  (below 13: remove leaves it)" : "");
                }
                out.println(peek.coins().size() + " coin(s) listed by at least 13 RAIDA; " + peek.answered()
                        + " RAIDA gave a listing, " + (agree ? "all alike" : distinct.size() + " different listings"));
            }
            out.flush();
            return ok ? Main.OK : Main.FAILED;
        }
    }

    /** {@code network locker remove}. */
    @Command(name = "remove", mixinStandardHelpOptions = true, versionProvider = LibraryVersion.class,
            description = {"Take the coins out of the locker of CODE: peek (8/83), then remove (8/84) every coin "
                    + "that at least 13 RAIDA list, each with a new random AN per RAIDA.",
                "Writes one coin file per coin into DIR, named DEN.SERIAL.bin, with the new ANs and the POWN string; "
                        + "per coin the grade.",
                "The new ANs are chosen and written (as PANs, synced to the disk) into DIR before the first remove "
                        + "request goes out. A file that would be replaced is refused (nothing is removed).",
                "Recovery of an interrupted remove (a crash, replies lost): the files in DIR hold the locker keys "
                        + "as ANs and the new ANs as PANs. Run network find DIR/*.bin: it asks every RAIDA which "
                        + "of the two the coin holds and rewrites the file with them. Then run network pown on "
                        + "them (new ANs where a coin still holds the locker key, which anyone with the code could "
                        + "take) or network heal for a fracked coin.",
                "Exit status: 0 when every coin listed is authentic or fracked in its new file, 1 otherwise (also "
                        + "an empty or unknown locker: nothing to remove), 2 usage error."})
    static final class Remove extends LockerBase {
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "where the coin files are "
                + "written (created if missing)")
        Path out;

        Remove(Cli cli) {
            super(cli);
        }

        @Override
        String name() {
            return "locker remove";
        }

        @Override
        void check() throws UsageException {
            super.check();
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new UsageException("--out " + out + " is not a directory");
            }
        }

        @Override
        int run(RaidaCluster cluster) throws Exception {
            LockerClient lockers = LockerClient.unencrypted(cluster);
            LockerPeek peek = await(cluster, lockers.peek(code));
            List<ClusterReply> replies = new ArrayList<>(List.of(peek.reply()));
            List<LockerCoin> coins = peek.coins();
            if (coins.isEmpty()) {
                return report(cluster, replies, List.of(), List.of("the locker is empty or unknown: no coin is listed "
                        + "by 13 RAIDA (" + peek.answered() + " gave a listing); nothing was removed"), false);
            }
            List<Path> paths = new ArrayList<>();
            for (LockerCoin c : coins) {
                Path p = out.resolve(c.denomination() + "." + c.serialNumber() + ".bin");
                if (Files.exists(p)) {
                    throw new UsageException(p + " exists (from an earlier remove?): settle it with network find or "
                            + "heal, or give another --out; nothing was removed");
                }
                paths.add(p);
            }
            Files.createDirectories(out);
            List<CoinFile> prepared = LockerClient.prepareRemove(code, coins);
            for (int i = 0; i < prepared.size(); i++) {
                prepared.get(i).write(paths.get(i)); // the new ANs on disk before the remove
            }
            BatchResult removed = await(cluster, lockers.remove(code, prepared));
            replies.addAll(removed.replies());
            if (anyUnknown(removed)) {
                removed = await(cluster, lockers.recover(LockerClient.keep(removed, prepared)));
                replies.addAll(removed.replies());
            }
            List<CoinFile> settled = LockerClient.keep(removed, prepared);
            List<CoinLine> lines = new ArrayList<>();
            for (int i = 0; i < paths.size(); i++) {
                CoinResult c = removed.coins().get(i);
                boolean known = c.pown().count('n') == 0;
                (known ? CoinFile.of(c.coin()) : settled.get(i)).write(paths.get(i));
                List<Integer> stillIn = LockerClient.inLocker(code, c.coin());
                String note = !known ? "PANs kept in the file: run network find on it"
                        : !stillIn.isEmpty() ? "still holds the locker key on RAIDA " + stillIn + ": run network pown"
                        + " on it" : "";
                lines.add(new CoinLine(paths.get(i), c.coin(), c.grade(), true, note));
            }
            return report(cluster, replies, lines, List.of());
        }
    }

    /** Whether a RAIDA left any coin unknown ({@code n}: no reply, or a refusal answering a retry). */
    static boolean anyUnknown(BatchResult r) {
        return r.coins().stream().anyMatch(c -> c.pown().count('n') > 0);
    }
}
