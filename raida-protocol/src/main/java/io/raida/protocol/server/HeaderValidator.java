package io.raida.protocol.server;

import io.raida.protocol.CommandGroup;
import io.raida.protocol.EncryptionType;
import io.raida.protocol.StatusCode;

/**
 * The header checks of wire-format §2–§4 in the reference server's order, recording fields as the
 * reference does so an early error reply carries exactly what was known at the failing check (D-9):
 * routing (1), split id (0), RAIDA id, command group, shard id, command (registered), coin id,
 * encryption type, key lookup; then the body-size rules (D-11, the configured limit). Calls the key
 * resolver, user code: its failure is this request's failure (252), never the caller's.
 */
final class HeaderValidator {
    private final ServerCore core;

    HeaderValidator(ServerCore core) {
        this.core = core;
    }

    /** Validates the header in {@code r.fields}; 0 when valid, else the status to answer. */
    int validate(DecodedRequest r) {
        RequestFields f = r.fields;
        if (f.routing() != 1) {
            return StatusCode.ERROR_INVALID_ROUTING.code();
        }
        if (f.splitId() != 0) {
            return StatusCode.ERROR_INVALID_SPLIT_ID.code();
        }
        if (f.raidaId() != core.raidaId()) {
            return StatusCode.ERROR_INVALID_RAIDA_ID.code();
        }
        int g = f.commandGroup();
        if (g > CommandGroup.MAX_GROUP) {
            return StatusCode.ERROR_INVALID_COMMAND_GROUP.code();
        }
        if (f.shardId() > 3) {
            return StatusCode.ERROR_INVALID_SHARD_ID.code();
        }
        r.registration = core.registry().lookup(g, f.commandCode());
        if (r.registration == null) {
            return StatusCode.ERROR_INVALID_COMMAND.code();
        }
        r.group = g;
        r.groupRecorded = true;
        if (f.coinId() != core.coinId()) {
            return StatusCode.ERROR_INVALID_COIN_ID.code();
        }
        r.type = f.encryptionType();
        r.replyHeaderSize = f.size();
        EncryptionType et = EncryptionType.fromCode(r.type);
        if (et == null) {
            return StatusCode.ERROR_INVALID_ENCRYPTION_CODE.code();
        }
        r.bodySize = f.bodySize();
        r.echo = f.echo();
        r.echoRecorded = true;
        if (!f.isHeader32()) {
            r.denomination = f.keyDenomination();
            r.serial = f.keySerial();
            r.coinRecorded = true;
        }
        r.crypto = CryptoStep.of(et);
        int st;
        try {
            st = r.crypto.resolveKeys(r, core.keys());
        } catch (Throwable t) {
            core.userCodeFailed(UserCode.KEY_RESOLVER, core.keys(), t, r.remote);
            return StatusCode.ERROR_INTERNAL.code();
        }
        if (st != 0) {
            return st;
        }
        if (r.bodySize == 0 && et != EncryptionType.NONE && core.requireEncryptedBody()) {
            return StatusCode.ERROR_INVALID_PACKET_LENGTH.code();
        }
        if (r.bodySize > core.maxBodySize()) {
            return StatusCode.ERROR_INVALID_PACKET_LENGTH.code();
        }
        return 0;
    }
}
