package io.caravan.destination.pgsql;

import java.util.HashSet;
import java.util.Set;

/** What a destination writer knows about one target table during a run. */
final class TargetTable {
    final String name;
    final String qualified;
    final String stage;
    final String snapshot;
    final Set<String> months = new HashSet<>();
    boolean directCopy;

    TargetTable(String name, String qualified, String stage, String snapshot, boolean directCopy) {
        this.name = name;
        this.qualified = qualified;
        this.stage = stage;
        this.snapshot = snapshot;
        this.directCopy = directCopy;
    }
}
