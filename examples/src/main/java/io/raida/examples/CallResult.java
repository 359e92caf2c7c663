package io.raida.examples;

import io.raida.protocol.Transport;

/**
 * The outcome of one {@link Call} over one transport protocol.
 *
 * @param call       what was asked
 * @param protocol   UDP or TCP
 * @param ok         true if the reply was the expected one
 * @param outcome    the status and payload, or the failure
 * @param roundTripNanos client-side time from send to parsed reply (or failure)
 */
record CallResult(Call call, Transport protocol, boolean ok, String outcome, long roundTripNanos) {
}
