package io.caravan.it;

import io.caravan.api.ProcessDict;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * A {@code process_dict} for serve-mode tests: counts records and runs a hook on each (sleep to make a run slow, or
 * move a test clock past the cut-off after so many records), and tracks how many runs use it at once.
 */
public class ServeHook implements ProcessDict {

    /** Records seen since the last {@link #reset()}. */
    public static final AtomicLong RECORDS = new AtomicLong();
    /** Called with the record count after each record; none by default. */
    public static volatile LongConsumer onRecord = n -> { };
    /** Threads inside {@link #process} now, and the most ever seen. */
    public static final AtomicInteger INSIDE = new AtomicInteger();
    public static final AtomicInteger MOST_INSIDE = new AtomicInteger();

    /** Forgets counts and hooks. */
    public static void reset() {
        RECORDS.set(0);
        onRecord = n -> { };
        INSIDE.set(0);
        MOST_INSIDE.set(0);
    }

    @Override
    public Map<String, Object> process(Map<String, Object> record) {
        int inside = INSIDE.incrementAndGet();
        MOST_INSIDE.accumulateAndGet(inside, Math::max);
        try {
            onRecord.accept(RECORDS.incrementAndGet());
            return record;
        } finally {
            INSIDE.decrementAndGet();
        }
    }
}
