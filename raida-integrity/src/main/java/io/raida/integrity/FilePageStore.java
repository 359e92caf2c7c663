package io.raida.integrity;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link PageStore} on disk in the reference layout (integrity.md §2):
 * {@code <root>/Data/<DD>/<PP>/<NNNN>.bin}, where DD is the denomination byte in two lowercase hex
 * digits (-8 → f8), PP = page >> 8 (00..03) and NNNN the page number (0000..03e7). {@code root} is
 * the directory a reference server runs in, so its data can be used as is.
 *
 * <p>A missing page file, or one shorter than 17 408 bytes, is an absent (unissued) page; unlike the
 * reference, nothing is created at start-up (D-33: no placeholder ANs). Writes are crash-safe: the
 * page is written to a temporary file in the same directory ({@code .NNNN.bin.<n>.tmp}, a name no
 * page lookup ever uses), forced to disk, then atomically renamed over the page, and the directory
 * is forced. A crash at any point leaves either the old or the new page; leftover temporary files are
 * removed by {@link #open}. Reads need no lock (rename is atomic); writes to one page are serialised,
 * and {@link #replacePageIf} compares and writes under that same lock.
 *
 * <p>This store assumes it is the only writer: files changed behind its back are not seen by the
 * Merkle trees' dirty tracking until a full rebuild ({@link MerkleForest#markAllDirty()}).
 */
public final class FilePageStore implements PageStore {
    private static final Logger LOG = LoggerFactory.getLogger(FilePageStore.class);
    private static final int LOCK_STRIPES = 64;

    /** Test hook between "temporary file written and forced" and "renamed over the page". */
    interface WriteHook {
        void beforeRename(Path temporary, Path page) throws IOException;

        /** Told after {@code dir} was forced to disk. */
        default void directoryForced(Path dir) {
        }

        /** Told by {@link #replacePageIf} when the leaf matched, before the write starts. */
        default void compared(Path page) {
        }
    }

    private final Path root;
    private final Path data;
    private final Object[] locks = new Object[LOCK_STRIPES];
    private final AtomicLong tempCounter = new AtomicLong();
    /** Page directories whose entries in Data/ and Data/DD/ were forced to disk by this store. */
    private final Set<Path> durableDirs = ConcurrentHashMap.newKeySet();
    private final ListenerSupport listeners = new ListenerSupport();
    private volatile WriteHook hook;

    private FilePageStore(Path root) {
        this.root = root;
        this.data = root.resolve("Data");
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    /**
     * Opens (creating {@code root/Data} if needed) the store under {@code root} and removes temporary
     * files left by an interrupted write.
     *
     * @param root the server's data root; pages live under {@code root/Data}
     * @return the open store
     * @throws java.io.IOException if the directory cannot be created or scanned
     */
    public static FilePageStore open(Path root) throws IOException {
        FilePageStore s = new FilePageStore(root.toAbsolutePath());
        if (!Files.isDirectory(s.data)) {
            Files.createDirectories(s.data);
            s.forceDirectory(s.root);
        }
        s.sweepTemporaryFiles();
        return s;
    }

    /**
     * The root directory (the one containing {@code Data}).
     *
     * @return the root directory given to {@link #open(Path)}
     */
    public Path root() {
        return root;
    }

    /**
     * Path of a page file: {@code <root>/Data/<DD>/<PP>/<NNNN>.bin}.
     *
     * @param denomination the denomination code, -8..6
     * @param page the page number, 0..999
     * @return the file's path, whether or not it exists
     */
    public Path pagePath(int denomination, int page) {
        PageStore.checkPage(denomination, page);
        return data.resolve(String.format("%02x", denomination & 0xFF))
                .resolve(String.format("%02x", page >> 8))
                .resolve(String.format("%04x.bin", page));
    }

    @Override
    public boolean readPage(int denomination, int page, byte[] dst) throws IOException {
        Path p = pagePath(denomination, page);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.wrap(dst, 0, PAGE_SIZE);
            while (b.hasRemaining()) {
                if (ch.read(b) < 0) {
                    throw new TruncatedPageException("page file " + p + " has " + b.position() + " bytes, expected "
                            + PAGE_SIZE);
                }
            }
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    @Override
    public boolean readRecord(int denomination, int page, int record, byte[] dst, int off) throws IOException {
        PageStore.checkRecord(record);
        Path p = pagePath(denomination, page);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            if (ch.size() < PAGE_SIZE) {
                return false;
            }
            ByteBuffer b = ByteBuffer.wrap(dst, off, RECORD_SIZE);
            long pos = (long) record * RECORD_SIZE;
            while (b.hasRemaining()) {
                int n = ch.read(b, pos);
                if (n < 0) {
                    return false;
                }
                pos += n;
            }
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    @Override
    public void writePage(int denomination, int page, byte[] bytes) throws IOException {
        PageStore.checkData(bytes);
        synchronized (lock(denomination, page)) {
            writeLocked(denomination, page, bytes);
        }
        listeners.fire(denomination, page);
    }

    /**
     * Reads the page and writes the new one under the page's lock, so no write through this store
     * can come in between; the write itself is the same crash-safe temporary file, fsync and rename.
     */
    @Override
    public boolean replacePageIf(int denomination, int page, byte[] expectedLeaf, byte[] newPage) throws IOException {
        PageStore.checkReplace(denomination, page, expectedLeaf, newPage);
        synchronized (lock(denomination, page)) {
            if (!java.util.Arrays.equals(MerkleTree.currentLeaf(this, denomination, page), expectedLeaf)) {
                return false;
            }
            WriteHook h = hook;
            if (h != null) {
                h.compared(pagePath(denomination, page));
            }
            writeLocked(denomination, page, newPage);
        }
        listeners.fire(denomination, page);
        return true;
    }

    private Object lock(int denomination, int page) {
        return locks[PageStore.slot(denomination, page) % LOCK_STRIPES];
    }

    /** Temporary file, fsync, atomic rename, directory fsync; the caller holds the page's lock. */
    private void writeLocked(int denomination, int page, byte[] bytes) throws IOException {
        Path target = pagePath(denomination, page);
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + target.getFileName() + "." + tempCounter.incrementAndGet() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            WriteHook h = hook;
            if (h != null) {
                h.beforeRename(tmp, target);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(dir);
            if (!durableDirs.contains(dir)) {
                // the directory's own entries (perhaps just created, by this or a concurrent write) must be
                // durable too, or a crash loses the page with them; once per directory and process
                forceDirectory(dir.getParent());
                forceDirectory(data);
                durableDirs.add(dir);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Deletes a page file (the page reads as absent afterwards); listeners are told.
     *
     * @param denomination the denomination code, -8..6
     * @param page the page number, 0..999
     * @throws java.io.IOException if the file exists and cannot be deleted
     */
    public void deletePage(int denomination, int page) throws IOException {
        Path target = pagePath(denomination, page);
        synchronized (lock(denomination, page)) {
            if (Files.deleteIfExists(target)) {
                forceDirectory(target.getParent());
            }
        }
        listeners.fire(denomination, page);
    }

    @Override
    public void addListener(PageListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(PageListener listener) {
        listeners.remove(listener);
    }

    void writeHook(WriteHook h) {
        this.hook = h;
    }

    /** Makes the rename durable; some file systems refuse to open a directory, which is not fatal. */
    private void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.debug("cannot force directory {}: {}", dir, e.toString());
            return;
        }
        WriteHook h = hook;
        if (h != null) {
            h.directoryForced(dir);
        }
    }

    private void sweepTemporaryFiles() throws IOException {
        try (DirectoryStream<Path> dens = Files.newDirectoryStream(data, Files::isDirectory)) {
            for (Path den : dens) {
                try (DirectoryStream<Path> hi = Files.newDirectoryStream(den, Files::isDirectory)) {
                    for (Path d : hi) {
                        try (DirectoryStream<Path> tmps = Files.newDirectoryStream(d, ".*.tmp")) {
                            for (Path t : tmps) {
                                LOG.warn("removing {} left by an interrupted page write", t);
                                Files.deleteIfExists(t);
                            }
                        }
                    }
                }
            }
        }
    }
}
