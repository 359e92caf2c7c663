package io.raida.integrity;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The listener list shared by the page stores; a failing listener never fails the write. */
final class ListenerSupport {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerSupport.class);
    private final List<PageStore.PageListener> listeners = new CopyOnWriteArrayList<>();

    void add(PageStore.PageListener l) {
        listeners.add(Objects.requireNonNull(l, "listener"));
    }

    void remove(PageStore.PageListener l) {
        listeners.remove(l);
    }

    void fire(int denomination, int page) {
        for (PageStore.PageListener l : listeners) {
            try {
                l.pageWritten(denomination, page);
            } catch (RuntimeException e) {
                LOG.warn("page listener {} failed for page {}/{}", l, denomination, page, e);
            }
        }
    }
}
