package io.raida.protocol.metrics;

import io.raida.protocol.cluster.ClusterStats;
import io.raida.protocol.cluster.RaidaCluster;
import io.raida.protocol.server.ServerStats;
import io.raida.protocol.transport.RaidaServer;
import java.lang.management.ManagementFactory;
import java.util.Objects;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * Publishes server counters in the platform MBean server, under
 * {@code io.raida:type=ServerStats,name=<name>}, and the cluster client's outcome counters under
 * {@code io.raida:type=ClusterStats,name=<name>}; no dependency beyond the JDK.
 *
 * <pre>{@code
 * try (RaidaJmx.Registration jmx = RaidaJmx.register(server, "raida-0")) {
 *     ... // jconsole, VisualVM or a JMX exporter reads io.raida:type=ServerStats,name="raida-0"
 * }
 * }</pre>
 */
public final class RaidaJmx {
    /** The JMX domain of every raida MBean. */
    public static final String DOMAIN = "io.raida";

    private RaidaJmx() {
    }

    /**
     * Registers the counters of a running server.
     *
     * @param server the server whose {@link RaidaServer#stats()} to publish
     * @param name   a name unique among the registered servers, e.g. {@code "raida-0"}
     * @return the registration; close it to unregister (e.g. when the server closes)
     * @throws IllegalStateException if a server is already registered under {@code name}
     */
    public static Registration register(RaidaServer server, String name) {
        return register(Objects.requireNonNull(server, "server").stats(), name);
    }

    /**
     * Registers a {@link ServerStats} as a {@link ServerStatsMXBean}.
     *
     * @param stats the counters to publish
     * @param name  a name unique among the registered servers, e.g. {@code "raida-0"}
     * @return the registration; close it to unregister
     * @throws IllegalStateException if something is already registered under {@code name}
     */
    public static Registration register(ServerStats stats, String name) {
        return register(new StandardMBean(new ServerStatsView(stats), ServerStatsMXBean.class, true),
                objectName(name), "server");
    }

    /**
     * Registers the outcome counters of a cluster client ({@link RaidaCluster#stats()}) as a
     * {@link ClusterStatsMXBean}.
     *
     * @param cluster the cluster whose counters to publish
     * @param name    a name unique among the registered clusters, e.g. {@code "wallet"}
     * @return the registration; close it to unregister (e.g. when the cluster closes)
     * @throws IllegalStateException if a cluster is already registered under {@code name}
     */
    public static Registration register(RaidaCluster cluster, String name) {
        return register(Objects.requireNonNull(cluster, "cluster").stats(), name);
    }

    /**
     * Registers a {@link ClusterStats} as a {@link ClusterStatsMXBean}.
     *
     * @param stats the counters to publish
     * @param name  a name unique among the registered clusters
     * @return the registration; close it to unregister
     * @throws IllegalStateException if a cluster is already registered under {@code name}
     */
    public static Registration register(ClusterStats stats, String name) {
        Objects.requireNonNull(stats, "stats");
        return register(new StandardMBean(new ClusterStatsView(stats), ClusterStatsMXBean.class, true),
                clusterObjectName(name), "cluster");
    }

    private static Registration register(StandardMBean mbean, ObjectName objectName, String what) {
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        try {
            mbeans.registerMBean(mbean, objectName);
        } catch (InstanceAlreadyExistsException e) {
            throw new IllegalStateException("an MBean named " + objectName + " is already registered;"
                    + " give each " + what + " its own name or close the earlier registration", e);
        } catch (JMException e) {
            throw new IllegalStateException("cannot register " + objectName + ": " + e.getMessage(), e);
        }
        return new Registration(objectName);
    }

    /**
     * The object name a server's counters are registered under.
     *
     * @param name the name given to {@link #register(ServerStats, String)}
     * @return {@code io.raida:type=ServerStats,name=<name, quoted>}
     */
    public static ObjectName objectName(String name) {
        return objectName("ServerStats", name);
    }

    /**
     * The object name a cluster's counters are registered under.
     *
     * @param name the name given to {@link #register(ClusterStats, String)}
     * @return {@code io.raida:type=ClusterStats,name=<name, quoted>}
     * @throws IllegalArgumentException if {@code name} is empty
     */
    public static ObjectName clusterObjectName(String name) {
        return objectName("ClusterStats", name);
    }

    private static ObjectName objectName(String type, String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("the MBean name must not be empty");
        }
        try {
            return new ObjectName(DOMAIN + ":type=" + type + ",name=" + ObjectName.quote(name));
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("not usable in a JMX object name: " + name, e);
        }
    }

    /** One registered MBean; {@link #close()} unregisters it (again is a no-op). */
    public static final class Registration implements AutoCloseable {
        private final ObjectName objectName;

        private Registration(ObjectName objectName) {
            this.objectName = objectName;
        }

        /** {@return the name the MBean is registered under} */
        public ObjectName objectName() {
            return objectName;
        }

        /** Unregisters the MBean from the platform MBean server. */
        @Override
        public void close() {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(objectName);
            } catch (InstanceNotFoundException alreadyGone) {
                // closed before, or unregistered by someone else: nothing left to do
            } catch (JMException e) {
                throw new IllegalStateException("cannot unregister " + objectName + ": " + e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return "RaidaJmx.Registration[" + objectName + "]";
        }
    }
}
