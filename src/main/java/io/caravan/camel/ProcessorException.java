package io.caravan.camel;

/**
 * A failure of a class a mapping names ({@code process_dict}, {@code get_table_name}) on a record, or a record it
 * returned that the table's mode cannot take: the message names the key, the class and the record's primary key.
 */
public class ProcessorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProcessorException(String message, Throwable cause) {
        super(message, cause);
    }
}
