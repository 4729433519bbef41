package org.cdln.data;

import java.util.regex.Pattern;

/**
 * Decimal numbers as people write them in data and on command lines: an optional sign, digits
 * with an optional point, an optional exponent (3, -0.5, .5, 1e-4), and inf/infinity/nan spelled
 * out. Java's own syntax also takes "3f", "4d", hexadecimal floats and surrounding control
 * characters, which in a data file or a flag are typos, not numbers.
 */
public final class Numbers {
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private Numbers() {
    }

    /**
     * Parses a decimal number.
     *
     * @throws NumberFormatException naming the text when it is not one
     */
    public static double parseDecimal(String text) {
        String v = text.strip();
        switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "nan", "+nan", "-nan":
                return Double.NaN;
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        if (!DECIMAL.matcher(v).matches()) {
            throw new NumberFormatException("'" + text + "' is not a decimal number (write e.g. 3, 0.5 or 1e-4)");
        }
        return Double.parseDouble(v);
    }
}
