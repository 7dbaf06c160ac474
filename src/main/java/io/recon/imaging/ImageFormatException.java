package io.recon.imaging;

/**
 * An image payload that cannot be turned into pixels. Like {@code io.recon.event.InvalidEventException}
 * it carries a short, stable {@link #reason()} code (usable as a metric tag or dead-letter header) and
 * a specific message saying what is wrong and what is accepted instead.
 */
public class ImageFormatException extends RuntimeException {

    /** Bytes are not in the claimed format, or its structure is inconsistent. */
    public static final String CORRUPT = "corrupt_image";
    /** The file ends before the structure it declares (cut off in transit or storage). */
    public static final String TRUNCATED = "truncated_image";
    /** A valid file using a feature this layer does not implement (compression, colour model, data type). */
    public static final String UNSUPPORTED = "unsupported_image";
    /** Dimensions or sizes over a configured limit; checked before large allocations. */
    public static final String TOO_LARGE = "too_large";
    /** A caller-supplied parameter (frame, slice, raw width/height/dtype) is invalid. */
    public static final String BAD_FIELD = "bad_field";

    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * @param reason  one of the stable codes above
     * @param message what exactly is wrong, naming the element or field and the expectation
     */
    public ImageFormatException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** Same, keeping the low-level exception for logs. */
    public ImageFormatException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** The stable reason code. */
    public String reason() {
        return reason;
    }

    public static ImageFormatException corrupt(String message) {
        return new ImageFormatException(CORRUPT, message);
    }

    public static ImageFormatException truncated(String message) {
        return new ImageFormatException(TRUNCATED, message);
    }

    public static ImageFormatException unsupported(String message) {
        return new ImageFormatException(UNSUPPORTED, message);
    }

    public static ImageFormatException tooLarge(String message) {
        return new ImageFormatException(TOO_LARGE, message);
    }

    public static ImageFormatException badField(String message) {
        return new ImageFormatException(BAD_FIELD, message);
    }
}
