package io.raida.integrity;

/** The healing client suite over the nio transport (servers, their peer legs and the client). */
class NioHealingClientTest extends AbstractHealingClientTest {

    @Override
    String transport() {
        return "nio";
    }
}
