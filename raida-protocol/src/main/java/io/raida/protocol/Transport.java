package io.raida.protocol;

/** The two transports RAIDA X runs on, both on the same port (transport.md §1). */
public enum Transport {
    /** One request per connection; the server closes after the reply. */
    TCP,
    /** One datagram per request and per reply. */
    UDP
}
