package io.raida.examples.embed;

import io.raida.protocol.cluster.BatchResult;
import io.raida.protocol.cluster.Coin;
import io.raida.protocol.cluster.CoinFile;
import io.raida.protocol.cluster.CoinResult;
import io.raida.protocol.cluster.Grade;
import io.raida.protocol.cluster.LockerClient;
import io.raida.protocol.cluster.LockerPeek;
import io.raida.protocol.cluster.RaidaCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * Sending coins by transmit code: the sender puts coin files into a locker, the receiver peeks and
 * removes them with new ANs, each keeping what it needs to recover from a lost reply before it
 * sends. The README quotes the lines between the tag comments; {@code EmbeddedLockerExampleTest}
 * runs them against 25 servers.
 */
public final class EmbeddedLockerExample {

    private EmbeddedLockerExample() {
    }

    /**
     * Puts the coins of {@code coinFiles} into the locker of {@code code}; a coin in the locker on at
     * least 13 RAIDA is sent and its file moves to {@code sentDir}.
     *
     * @return per coin {@code "SN in locker on N RAIDA"}
     */
    public static List<String> send(RaidaCluster cluster, String code, List<Path> coinFiles, Path sentDir)
            throws IOException, InterruptedException, ExecutionException {
        List<String> lines = new ArrayList<>();
        // tag::embed-locker-send[]
        LockerClient lockers = LockerClient.unencrypted(cluster);
        List<Coin> coins = new ArrayList<>();
        for (Path file : coinFiles) {
            coins.add(CoinFile.read(file).coin());
        }
        List<CoinFile> kept = LockerClient.preparePut(code, coins);    // PANs := the 25 locker keys
        for (int i = 0; i < kept.size(); i++) {
            kept.get(i).write(coinFiles.get(i));                        // kept before anything is sent
        }
        BatchResult put = lockers.put(code, coins).get();
        if (put.coins().stream().anyMatch(c -> c.pown().count('p') < 25)) {
            put = lockers.recover(LockerClient.keep(put, kept)).get(); // find (2/60) settles lost replies
        }
        for (int i = 0; i < coinFiles.size(); i++) {
            Coin coin = put.coins().get(i).coin();
            int in = LockerClient.inLocker(code, coin).size();
            if (in >= Grade.QUORUM) {                                    // decided: sent
                CoinFile.of(coin).write(sentDir.resolve(coinFiles.get(i).getFileName()));
                Files.delete(coinFiles.get(i));
            }
            lines.add(coin.serialNumber() + " in locker on " + in + " RAIDA");
        }
        // end::embed-locker-send[]
        return lines;
    }

    /**
     * Takes every coin a quorum lists in the locker of {@code code} and writes one coin file per coin
     * into {@code outDir}, with its new ANs and POWN string.
     *
     * @return per coin {@code "SN POWN grade"}, or one line saying the locker is empty
     */
    public static List<String> receive(RaidaCluster cluster, String code, Path outDir)
            throws IOException, InterruptedException, ExecutionException {
        List<String> lines = new ArrayList<>();
        // tag::embed-locker-receive[]
        LockerClient lockers = LockerClient.unencrypted(cluster);
        LockerPeek peek = lockers.peek(code).get();                    // coins listed by >= 13 RAIDA
        if (peek.coins().isEmpty()) {
            lines.add("the locker is empty");
            return lines;
        }
        List<CoinFile> kept = LockerClient.prepareRemove(code, peek.coins()); // PANs := fresh random ANs
        for (CoinFile f : kept) {
            f.write(outDir.resolve(f.coin().serialNumber() + ".bin"));  // kept before the remove is sent
        }
        BatchResult removed = lockers.remove(code, kept).get();
        if (removed.coins().stream().anyMatch(c -> c.pown().count('p') < 25)) {
            removed = lockers.recover(LockerClient.keep(removed, kept)).get();
        }
        List<CoinFile> settled = LockerClient.keep(removed, kept);     // PANs stay until every RAIDA is known
        for (int i = 0; i < settled.size(); i++) {
            CoinResult c = removed.coins().get(i);
            CoinFile file = c.pown().count('p') == 25 ? CoinFile.of(c.coin()) : settled.get(i);
            file.write(outDir.resolve(c.coin().serialNumber() + ".bin"));
            lines.add(c.coin().serialNumber() + " " + c.pown() + " " + c.grade().word());
        }
        // end::embed-locker-receive[]
        return lines;
    }
}
