package io.caravan.mapping;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A mapping or settings file (or several) is invalid. Carries every problem found, never only the first.
 * The message is each problem's {@link Problem#format()}, one per line, in file order.
 */
public final class MappingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The problems; never empty. */
    private final transient List<Problem> problems;

    /**
     * @param problems the problems found; neither null nor empty
     * @throws IllegalArgumentException when {@code problems} is empty
     */
    public MappingException(List<Problem> problems) {
        super(problems.stream().map(Problem::format).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a MappingException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** @return the problems, in file order; never empty, unmodifiable */
    public List<Problem> problems() {
        return problems;
    }
}
