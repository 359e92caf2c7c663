/**
 * Reusable conformance fixture of the test-jar: {@link io.raida.protocol.testing.ReferenceVectors}
 * loads the captured reference-server exchanges ({@code conformance/reference-vectors.json} under the
 * {@code raida.shared.dir} system property) with masking helpers, and
 * {@link io.raida.protocol.testing.ReferenceServer} builds a {@link io.raida.protocol.server.ServerCore}
 * configured like the captured server. Other modules (raida-integrity, the transports) depend on
 * the {@code raida-protocol} test-jar to replay their cases with the same data.
 */
package io.raida.protocol.testing;
