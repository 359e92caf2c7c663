#!/usr/bin/env python3
"""Builds the checked-in Jazzer seed corpus from the conformance vectors.

Run from the repository root with ../shared beside it:  python3 raida-protocol/src/test/fuzz/make-corpus.py
Writes one file per seed into the inputs directories Jazzer reads (<TestClass>Inputs/<method>/ next
to the test class in src/test/resources). Findings that Jazzer stores there are kept as they are.
"""
import hashlib
import json
import os
import struct
import zlib

ROOT = os.path.dirname(os.path.abspath(__file__)) + "/../../../.."
VECTORS = os.path.join(ROOT, "..", "shared", "conformance", "reference-vectors.json")
PROTO = os.path.join(ROOT, "raida-protocol/src/test/resources/io/raida/protocol")
LEGACY = os.path.join(ROOT, "raida-legacy-client/src/test/resources/io/raida/legacy")


def write(directory, name, data):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def main():
    cases = json.load(open(VECTORS))["cases"]
    frames = PROTO + "/FrameDecoderFuzzTestInputs"
    parser = PROTO + "/ResponseParserFuzzTestInputs/parse"
    for c in cases:
        req = bytes.fromhex(c["request_hex"])
        name = c["name"]
        write(frames + "/datagram", name, req)
        if c.get("preceded_by_udp_hex"):
            write(frames + "/datagram", name + "_primer", bytes.fromhex(c["preceded_by_udp_hex"]))
        chunks = c.get("tcp_send_chunks") or [7]
        write(frames + "/stream", name, bytes([chunks[0] - 1]) + req)
        write(frames + "/reusedDecoder", name, req)
        if c.get("response_hex"):
            # the request each reply answers: see ResponseParserFuzzTest.REQUESTS
            selector = 0
            for i, prefix in enumerate(["echo_%s_type0", "version_%s_type0", "echo_%s_type1_den0_sn1",
                                        "version_%s_type1_den0_sn1", "echo_%s_type4_den0_sn1",
                                        "version_%s_type4_den0_sn1"]):
                if name in (prefix % "tcp", prefix % "udp"):
                    selector = i
            write(parser, name, bytes([selector]) + bytes.fromhex(c["response_hex"]))
    write(LEGACY + "/Cc2FramesFuzzTestInputs/frames", "detect_one_coin", cc2_detect([2000001], 0))
    write(LEGACY + "/Cc2FramesFuzzTestInputs/frames", "detect_three_coins", cc2_detect([2000001, 2000002, 16000000], 0))
    write(LEGACY + "/Cc2FramesFuzzTestInputs/frames", "hash_delete_two", cc2_hash_delete([2000001, 2000002]))
    coin_files()
    handler_seeds()
    write(LEGACY + "/Cc2FramesFuzzTestInputs/frames", "reply_mixed",
          bytes([0, 0, 243, 0, 0, 1, 0x11, 0x11, 0, 0, 0, 13, 0b101]))


def test_ans(seed):
    """CoinFileTest.ans(seed): AN r byte i = seed * 31 + r * 16 + i."""
    return [bytes((seed * 31 + r * 16 + i) & 0xFF for i in range(16)) for r in range(25)]


def coin_file(den, sn, ans, pown_hex, pans=None):
    """auth.md section 5, as CoinFile.toBytes writes it (439 bytes, 839 with PANs)."""
    b = bytearray(839 if pans else 439)
    b[0], b[1], b[3], b[7] = 9, 1, 6, 1
    b[15] = 1 if pans else 0
    b[16:29] = bytes.fromhex(pown_hex)
    b[29:32] = b"\x99\x99\x99"
    b[34] = den & 0xFF
    b[35:39] = struct.pack(">I", sn)
    b[39:439] = b"".join(ans)
    if pans:
        b[439:839] = b"".join(pans)
    return bytes(b)


def coin_files():
    d = PROTO + "/cluster/CoinFileFuzzTestInputs/roundTrip"
    write(d, "den-3_pown_mixed", coin_file(-3, 0xDEADBEEF, test_ans(1), "aaaaafffffcccccbbbbbeeee09"))
    write(d, "den2_with_pans", coin_file(2, 7, test_ans(1), "0" * 25 + "9", test_ans(2)))
    write(d, "den1_sn5", coin_file(1, 5, test_ans(3), "aaaaafffffcccccbbbbbeeee09"))


def handler_an(den, sn):
    """HandlerRules.an: the seeded AN of den/sn, byte i = 31 sn + 7 i + 13 den."""
    return bytes((31 * sn + 7 * i + 13 * den) & 0xFF for i in range(16))


def handler_seeds():
    """HandlerFuzzTest: byte 0 = command index * 3 + type index (0, 1, 4), bit 7 = empty body."""
    d = ROOT + "/raida-integrity/src/test/resources/io/raida/integrity/HandlerFuzzTestInputs"

    def c(den, sn):
        return struct.pack(">bI", den, sn)

    def xor(*ans):
        return bytes(map(lambda *b: __import__("functools").reduce(lambda x, y: x ^ y, b), *ans))

    a = lambda sn: handler_an(1, sn)
    wrong, pan, lk2 = b"\x5a" * 16, b"\x40" * 16, b"\x22" * 12 + b"\xff" * 4
    locker, lk3 = b"\x11" * 12 + b"\xff" * 4, b"\x33" * 12 + b"\xff" * 4
    tickets = b"".join(struct.pack(">I", i + 1 if i < 13 else 0) for i in range(25))
    groups = {
        "status": [[b""], [b""], [b"\xad" * 16, b"\xad" * 16 + b"\x01", wrong], [b""]],
        "auth": [[c(1, 1) + a(1) + c(1, 2) + wrong + c(1, 55) + a(55), c(1, 1) + a(1) + c(1, 2) + a(2)],
                 [c(1, 3) + c(1, 4) + xor(a(3), a(4)), c(1, 3) + c(1, 3) + bytes(16)],
                 [c(1, 5) + a(5) + pan + c(1, 6) + wrong + pan],
                 [c(1, 7) + c(1, 8) + xor(a(7), a(8)) + pan]],
        "healing": [[c(1, 9) + a(9) + c(1, 10) + a(10), c(1, 9) + a(9) + c(1, 10) + wrong],
                    [b"\x03\x01\x02\x03\x04"],
                    [c(1, 11) + a(11) + pan + c(1, 12) + wrong + a(12) + c(1, 13) + wrong + wrong],
                    [c(1, 14) + c(1, 15) + bytes(range(16)) + tickets]],
        "lockers": [[c(1, 20) + c(1, 21) + xor(a(20), a(21)) + lk2],
                    [locker],
                    [locker + c(1, 70) + pan + c(1, 71) + pan + c(1, 72) + pan],
                    [b"\x01\x00\x02" + c(1, 22) + c(1, 23) + xor(a(22), a(23)) + lk3]],
        "integrity": [[b"\x01" + struct.pack(">II", 0, 0), b"\x01" + struct.pack(">II", 10, 0)],
                      [b"\x01" + struct.pack(">I", 0), b"\x02" + struct.pack(">I", 0)],
                      [bytes(480)]],
    }
    for method, commands in groups.items():
        for k, payloads in enumerate(commands):
            for t in range(3):
                for j, payload in enumerate(payloads):
                    write(d + "/" + method, "cmd%d_type%d_%d" % (k, (0, 1, 4)[t], j), bytes([k * 3 + t]) + payload)
            write(d + "/" + method, "cmd%d_empty" % k, bytes([0x80 | k * 3]))


def an_for(sn):
    return hashlib.md5(b"cc2-seed-%d" % sn).digest()


def cc2_frame(command, payload):
    """legacy-cc2.md section 3: 22-byte header, challenge (12 x 0x10 + CRC32), payload, 3E 3E."""
    challenge = b"\x10" * 12 + struct.pack(">I", zlib.crc32(b"\x10" * 12))
    body = challenge + payload + b"\x3e\x3e"
    header = bytearray(22)
    header[2] = 0  # RAIDA id
    header[5] = command
    struct.pack_into(">H", header, 7, 1)  # coin id
    struct.pack_into(">H", header, 12, 0x1111)  # echo
    struct.pack_into(">H", header, 14, len(body))
    return bytes(header) + body


def cc2_detect(sns, _raida):
    return cc2_frame(0x01, b"".join(sn.to_bytes(3, "big") + an_for(sn) for sn in sns))


def cc2_hash_delete(sns):
    return cc2_frame(0x36, b"\x00" + b"".join(sn.to_bytes(3, "big") for sn in sns) + an_for(0) + bytes(16))


if __name__ == "__main__":
    main()
