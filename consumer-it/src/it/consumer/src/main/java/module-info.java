/** A raida user's application: it needs only the API module; the transports are found as services. */
module io.raida.it.consumer {
    requires io.raida.protocol;
}
