package io.caravan.state;

/** A failure of the cursor store: it cannot be opened, read or written. */
public class StateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the store and the job and table concerned
     * @param cause   the underlying error; may be null
     */
    public StateException(String message, Throwable cause) {
        super(message, cause);
    }
}
