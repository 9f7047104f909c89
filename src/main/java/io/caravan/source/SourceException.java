package io.caravan.source;

/** A failure reading a source: the message names the job, the table and what failed. */
public class SourceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
