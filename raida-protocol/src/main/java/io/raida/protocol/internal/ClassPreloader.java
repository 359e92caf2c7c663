package io.raida.protocol.internal;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads, at server start, every class of a package tree from the anchor's jar or directory. A class
 * first needed at the descriptor limit (an enum switch's synthetic class, an error path) cannot be
 * loaded from a class directory then, as reading its file needs a descriptor; the server would fail
 * with a {@link NoClassDefFoundError} in its I/O loop. Classes are loaded, not initialised; each
 * package tree once per JVM.
 */
public final class ClassPreloader {
    private static final Logger LOG = LoggerFactory.getLogger(ClassPreloader.class);
    private static final Set<String> DONE = ConcurrentHashMap.newKeySet();

    private ClassPreloader() {
    }

    /**
     * Loads the classes under {@code packagePrefix} found where {@code anchor} was loaded from.
     *
     * @param anchor a class of the module or jar to preload from
     * @param packagePrefix the package (with dots) whose classes to load
     */
    public static void preload(Class<?> anchor, String packagePrefix) {
        CodeSource cs = anchor.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null || !DONE.add(cs.getLocation() + "!" + packagePrefix)) {
            return;
        }
        String dir = packagePrefix.replace('.', '/') + "/";
        List<String> names = new ArrayList<>();
        try {
            Path root = Path.of(cs.getLocation().toURI());
            if (Files.isDirectory(root)) {
                Path base = root.resolve(dir);
                if (Files.isDirectory(base)) {
                    try (Stream<Path> files = Files.walk(base)) {
                        files.filter(p -> p.toString().endsWith(".class"))
                                .forEach(p -> names.add(className(root.relativize(p).toString().replace('\\', '/'))));
                    }
                }
            } else {
                try (JarFile jar = new JarFile(root.toFile())) {
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                        String n = e.nextElement().getName();
                        if (n.startsWith(dir) && n.endsWith(".class")) {
                            names.add(className(n));
                        }
                    }
                }
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            LOG.debug("cannot list the classes of {} at {}: {}", packagePrefix, location(cs), e.toString());
            return;
        }
        ClassLoader loader = anchor.getClassLoader();
        for (String n : names) {
            if (n.endsWith("package-info") || n.endsWith("module-info")) {
                continue;
            }
            try {
                Class.forName(n, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                LOG.trace("not preloaded: {} ({})", n, e.toString());
            }
        }
    }

    private static String className(String path) {
        return path.substring(0, path.length() - ".class".length()).replace('/', '.');
    }

    private static String location(CodeSource cs) {
        URL u = cs.getLocation();
        return u == null ? "?" : u.toString();
    }
}
