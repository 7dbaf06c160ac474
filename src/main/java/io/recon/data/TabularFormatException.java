package io.recon.data;

/**
 * A malformed tabular input file. The message always names the file and the 1-based line where
 * the problem starts, so a user can jump straight to it.
 */
public class TabularFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String fileName;
    private final long line;

    /**
     * Creates the exception with message {@code "<fileName>, line <line>: <detail>"}.
     *
     * @param fileName name of the offending file
     * @param line     1-based line number where the problem starts
     * @param detail   what is wrong
     */
    public TabularFormatException(String fileName, long line, String detail) {
        this(fileName, line, detail, null);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param fileName name of the offending file
     * @param line     1-based line number where the problem starts
     * @param detail   what is wrong
     * @param cause    underlying parser error, may be null
     */
    public TabularFormatException(String fileName, long line, String detail, Throwable cause) {
        super(fileName + ", line " + line + ": " + detail, cause);
        this.fileName = fileName;
        this.line = line;
    }

    /**
     * Name of the offending file.
     *
     * @return the file name
     */
    public String fileName() {
        return fileName;
    }

    /**
     * 1-based line number where the problem starts.
     *
     * @return the line number
     */
    public long line() {
        return line;
    }
}
