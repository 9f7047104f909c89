package io.caravan.destination;

/** A failure writing to a destination: the message names the job, the table and the destination. */
public class DestinationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DestinationException(String message, Throwable cause) {
        super(message, cause);
    }
}
