package io.caravan.mapping;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects the problems of one or more files; never stops at the first. Not thread-safe. */
final class Problems {

    private final List<Problem> list = new ArrayList<>();

    /**
     * @param at      where the problem is; never null
     * @param path    key path; null or empty for the whole file
     * @param value   the offending value as written; null when there is none
     * @param message what is wrong; never null
     * @param hint    what to do; null when there is nothing to add
     */
    void add(Location at, String path, String value, String message, String hint) {
        list.add(new Problem(at, path == null || path.isEmpty() ? null : path, value, message, hint));
    }

    /** @param others problems to append as they are */
    void addAll(List<Problem> others) {
        list.addAll(others);
    }

    /** @return the number of problems so far */
    int size() {
        return list.size();
    }

    /** Orders the problems from {@code from} on by line and column (stable: same place keeps its order). */
    void sortFrom(int from) {
        list.subList(from, list.size()).sort(Comparator.comparingInt((Problem p) -> p.location().line())
                .thenComparingInt(p -> p.location().column()));
    }

    /** @throws MappingException carrying every problem, when there is at least one */
    void throwIfAny() {
        if (!list.isEmpty()) {
            throw new MappingException(list);
        }
    }
}
