package io.raida.protocol.client;

import io.raida.protocol.RaidaException;

/**
 * A well-formed response that fails verification: wrong challenge signature, wrong echo, bad HMAC,
 * or a body that does not decrypt. Either the reply is not for this request or the key is wrong.
 */
public class ResponseVerificationException extends RaidaException {
    private static final long serialVersionUID = 1L;

    /**
     * A reply that did not verify or decrypt.
     *
     * @param message what failed, without key material
     */
    public ResponseVerificationException(String message) {
        super(message);
    }
}
