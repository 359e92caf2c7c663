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
    write(LEGACY + "/Cc2FramesFuzzTestInputs/frames", "reply_mixed",
          bytes([0, 0, 243, 0, 0, 1, 0x11, 0x11, 0, 0, 0, 13, 0b101]))


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
