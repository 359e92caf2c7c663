package io.raida.protocol.crypto;

import io.raida.protocol.client.ResponseParser;


/**
 * Where a type 1/2 response body's AES-CTR keystream starts (wire-format §7.1, D-1). Reference
 * servers on Intel CPUs with AES-NI continue the counter after the request's blocks; on any other
 * CPU they restart it at block 0. Java servers of this library always continue. A client keeps one
 * setting per RAIDA and can calibrate it with {@link ResponseParser#calibrate}.
 */
public enum KeystreamMode {
    /** Response counter starts at {@code ceil((body_size - 2) / 16)}: the counter continues. */
    CONTINUE,
    /** Response counter restarts at 0 (re-uses the request keystream). */
    RESTART
}
