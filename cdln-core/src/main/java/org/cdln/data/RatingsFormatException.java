package org.cdln.data;

/**
 * A ratings file that cannot be read as declared. The message starts with {@code file:line:},
 * says what was found and what was expected, and how to fix it; {@link #line()} is 1-based.
 */
public final class RatingsFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String source;
    private final int line;

    /**
     * @param source the file name (or another label of the input)
     * @param line   the 1-based line the problem is on
     * @param what   what is wrong and how to fix it
     */
    public RatingsFormatException(String source, int line, String what) {
        super(source + ":" + line + ": " + what);
        this.source = source;
        this.line = line;
    }

    /** The file (or input label) the problem is in. */
    public String source() {
        return source;
    }

    /** The 1-based line number of the problem. */
    public int line() {
        return line;
    }
}
