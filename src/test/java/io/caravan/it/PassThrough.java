package io.caravan.it;

import io.caravan.api.ProcessDict;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** A {@code process_dict} that returns every record as it came: sends rows through the decoded-record path. */
public class PassThrough implements ProcessDict {

    /** Records seen by every instance in this JVM, so that a test can tell the records path was taken. */
    public static final AtomicLong CALLS = new AtomicLong();

    @Override
    public Map<String, Object> process(Map<String, Object> record) {
        CALLS.incrementAndGet();
        return record;
    }
}
