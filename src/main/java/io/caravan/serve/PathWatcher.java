package io.caravan.serve;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Watches directories (recursively, new subdirectories included) and single files with the JDK
 * {@link WatchService}, and reports each changed, new or deleted file once it has been quiet for a while: an
 * editor's create, modify and rename events of one save come as one change. Runs one daemon thread; the callback
 * is called on it, one batch at a time.
 */
final class PathWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PathWatcher.class);

    private final List<Path> watched;
    private final Predicate<Path> accept;
    private final long quietMillis;
    private final Consumer<Set<Path>> onChange;
    private final Map<WatchKey, Path> dirs = new HashMap<>();
    private final Map<Path, Long> pending = new HashMap<>();
    /** Every file listed or reported so far, so that a deletion is noticed after lost events too. */
    private final Set<Path> known = new HashSet<>();
    private WatchService service;
    private Thread thread;

    /**
     * @param watched     directories and files to watch; each normalized and absolute
     * @param accept      which files to report (absolute paths); the watcher itself only filters by location
     * @param quietMillis how long a file must see no event before it is reported, in milliseconds
     * @param onChange    receives the absolute paths of changed files (a deleted file no longer exists)
     */
    PathWatcher(List<Path> watched, Predicate<Path> accept, long quietMillis, Consumer<Set<Path>> onChange) {
        this.watched = List.copyOf(watched);
        this.accept = accept;
        this.quietMillis = quietMillis;
        this.onChange = onChange;
    }

    /** @throws UncheckedIOException when a watched directory cannot be registered */
    void start() {
        try {
            service = FileSystems.getDefault().newWatchService();
            for (Path p : watched) {
                if (Files.isDirectory(p)) {
                    registerTree(p);
                } else if (Files.isDirectory(p.getParent())) {
                    register(p.getParent());
                } else {
                    LOG.warn("{} does not exist: not watched", p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch " + watched, e);
        }
        known.addAll(everyFile());
        thread = new Thread(this::loop, "caravan-reload");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        try {
            if (service != null) {
                service.close();
            }
        } catch (IOException e) {
            LOG.warn("closing the file watcher: {}", e.getMessage());
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void registerTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path d : s.filter(Files::isDirectory).toList()) {
                register(d);
            }
        }
    }

    private void register(Path dir) throws IOException {
        WatchKey key = dir.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        dirs.put(key, dir);
    }

    private void loop() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                WatchKey key = service.poll(50, TimeUnit.MILLISECONDS);
                if (key != null) {
                    collect(key);
                }
                Set<Path> quiet = takeQuiet();
                if (!quiet.isEmpty()) {
                    report(quiet);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void report(Set<Path> files) {
        try {
            onChange.accept(files);
        } catch (RuntimeException e) {
            LOG.error("reloading {} failed: {}", files, e.toString(), e);
        }
    }

    private void collect(WatchKey key) {
        Path dir = dirs.get(key);
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                LOG.warn("file events were lost; checking every watched file");
                List<Path> all = new ArrayList<>(known);
                all.addAll(everyFile());
                all.forEach(this::touch);
                continue;
            }
            Path file = dir.resolve((Path) event.context()).toAbsolutePath().normalize();
            if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && Files.isDirectory(file)
                    && (isUnderDir(file) || watched.contains(file))) {
                newDirectory(file);
            } else if (isWatched(file)) {
                touch(file);
            }
        }
        if (!key.reset()) {
            dirs.remove(key);
        }
    }

    /** A directory appeared under a watched one: watch it too, and report the files already in it. */
    private void newDirectory(Path dir) {
        try {
            registerTree(dir);
            try (Stream<Path> s = Files.walk(dir)) {
                s.filter(Files::isRegularFile).filter(this::isWatched).forEach(this::touch);
            }
        } catch (IOException e) {
            LOG.error("cannot watch new directory {}: {}", dir, e.getMessage());
        }
    }

    private void touch(Path file) {
        known.add(file);
        pending.put(file, System.nanoTime());
    }

    private Set<Path> takeQuiet() {
        long now = System.nanoTime();
        Set<Path> out = new LinkedHashSet<>();
        for (Iterator<Map.Entry<Path, Long>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Path, Long> e = it.next();
            if (now - e.getValue() >= TimeUnit.MILLISECONDS.toNanos(quietMillis)) {
                out.add(e.getKey());
                it.remove();
            }
        }
        return out;
    }

    private boolean isUnderDir(Path file) {
        return watched.stream().anyMatch(w -> file.startsWith(w) && !file.equals(w) && Files.isDirectory(w));
    }

    private boolean isWatched(Path file) {
        return (watched.contains(file) || isUnderDir(file)) && accept.test(file);
    }

    /** @return every accepted file now under the watched paths */
    List<Path> everyFile() {
        List<Path> out = new ArrayList<>();
        for (Path w : watched) {
            if (Files.isDirectory(w)) {
                try (Stream<Path> s = Files.walk(w)) {
                    s.filter(Files::isRegularFile).map(p -> p.toAbsolutePath().normalize())
                            .filter(accept).forEach(out::add);
                } catch (IOException e) {
                    LOG.error("cannot list {}: {}", w, e.getMessage());
                }
            } else if (Files.isRegularFile(w) && accept.test(w)) {
                out.add(w);
            }
        }
        return out;
    }
}
