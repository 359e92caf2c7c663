package io.raida.integrity;

import io.raida.protocol.server.PeerPolicy;

import io.raida.protocol.internal.Bytes;
import io.raida.protocol.CommandGroup;
import io.raida.protocol.Denominations;
import io.raida.protocol.StatusCode;
import io.raida.protocol.server.CommandRequest;
import io.raida.protocol.server.CommandResult;
import io.raida.protocol.server.ServerCore;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handlers of the integrity group 14 (integrity.md §7). Handlers see {@code (payload, payloadLength)}
 * (D-14), so the exact body sizes 27 / 23 / 498 of a type-0 request are payload lengths 9 / 5 / 480;
 * every field is range-checked before use (D-18). Statuses: 36 no body, 16 wrong payload size,
 * 202 no such node / page (also for a denomination outside -8..6 or a level/index/page out of range:
 * "no such tree" is what the reference would answer if it checked), 194 storage error or short page,
 * 38 (ERROR_ADMIN_AUTH) when 14/4 comes from an address not on the {@link PeerPolicy}.
 */
final class IntegrityCommands {
    static final int GROUP = CommandGroup.INTEGRITY.code();
    static final int GET_NODE = 2;
    static final int GET_PAGE = 4;
    static final int GET_ROOTS = 5;
    static final int NODE_PAYLOAD = 9;
    static final int PAGE_PAYLOAD = 5;
    static final int ROOTS_PAYLOAD = MerkleForest.ROOTS_SIZE;

    private static final Logger LOG = LoggerFactory.getLogger(IntegrityCommands.class);

    private final MerkleForest forest;
    private final PageStore store;
    private final PeerPolicy pageAccess;

    IntegrityCommands(MerkleForest forest, PageStore store, PeerPolicy pageAccess) {
        this.forest = forest;
        this.store = store;
        this.pageAccess = pageAccess;
    }

    void register(ServerCore core) {
        core.registry().registerNonBlocking(GROUP, GET_NODE, this::node);
        core.registry().register(GROUP, GET_PAGE, this::page);
        core.registry().registerNonBlocking(GROUP, GET_ROOTS, this::roots);
    }

    void unregister(ServerCore core) {
        core.registry().unregister(GROUP, GET_NODE);
        core.registry().unregister(GROUP, GET_PAGE);
        core.registry().unregister(GROUP, GET_ROOTS);
    }

    /** 14/2: {@code den(1) ‖ level(u32) ‖ index(u32)} → 32-byte node. */
    CommandResult node(CommandRequest req) {
        CommandResult bad = checkSize(req, NODE_PAYLOAD);
        if (bad != null) {
            return bad;
        }
        byte[] p = req.payloadArray();
        int off = req.payloadOffset();
        int den = p[off];
        long level = Bytes.u32(p, off + 1);
        long index = Bytes.u32(p, off + 5);
        MerkleForest.Snapshot s = forest.snapshot();
        if (s == null || !Denominations.isValid(den) || !MerkleTree.isNode(level, index)) {
            return CommandResult.of(StatusCode.ERROR_FILE_NOT_EXIST);
        }
        MerkleTree t = s.tree(den);
        if (t == null) {
            return CommandResult.of(StatusCode.ERROR_FILE_NOT_EXIST);
        }
        return CommandResult.success(t.node((int) level, (int) index));
    }

    /** 14/4: {@code den(1) ‖ page(u32)} → the raw 17 408-byte page; peers on the allow-list only. */
    CommandResult page(CommandRequest req) {
        if (!pageAccess.permits(req.remoteAddress())) {
            LOG.debug("14/4 from {} refused: not on the page-data allow-list", req.remoteAddress());
            return CommandResult.of(StatusCode.ERROR_ADMIN_AUTH);
        }
        CommandResult bad = checkSize(req, PAGE_PAYLOAD);
        if (bad != null) {
            return bad;
        }
        byte[] p = req.payloadArray();
        int off = req.payloadOffset();
        int den = p[off];
        long page = Bytes.u32(p, off + 1);
        if (!Denominations.isValid(den) || page >= Denominations.PAGES) {
            return CommandResult.of(StatusCode.ERROR_FILE_NOT_EXIST);
        }
        byte[] out = new byte[PageStore.PAGE_SIZE];
        try {
            if (!store.readPage(den, (int) page, out)) {
                return CommandResult.of(StatusCode.ERROR_FILE_NOT_EXIST);
            }
        } catch (IOException e) {
            LOG.warn("14/4 cannot read page {}/{}: {}", den, page, e.toString());
            return CommandResult.of(StatusCode.ERROR_FILESYSTEM);
        }
        return CommandResult.success(out);
    }

    /** 14/5: {@code roots(480)} of the caller (ignored) → own 480-byte roots vector. */
    CommandResult roots(CommandRequest req) {
        CommandResult bad = checkSize(req, ROOTS_PAYLOAD);
        return bad != null ? bad : CommandResult.success(forest.rootsVector());
    }

    private static CommandResult checkSize(CommandRequest req, int expected) {
        if (!req.hasBody()) {
            return CommandResult.of(StatusCode.ERROR_EMPTY_REQUEST);
        }
        if (req.payloadLength() != expected) {
            return CommandResult.of(StatusCode.ERROR_INVALID_PACKET_LENGTH);
        }
        return null;
    }
}
