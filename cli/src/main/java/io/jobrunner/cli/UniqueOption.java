package io.jobrunner.cli;

import io.jobrunner.client.InvalidJobException;
import io.jobrunner.client.Uniqueness;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A uniqueness mode on the command line and in NDJSON lines: {@code while-waiting}, {@code until-started},
 * {@code until-finished} or {@code for:<duration>} ({@code for:10m}, durations as {@link DurationConverter} reads them).
 */
public final class UniqueOption implements ITypeConverter<Uniqueness> {

    static final String ALLOWED = "while-waiting, until-started, until-finished or for:<duration> such as for:10m";

    @Override
    public Uniqueness convert(String value) {
        try {
            return parse(value);
        } catch (InvalidJobException e) {
            throw new TypeConversionException("'" + value + "' is not a uniqueness mode; allowed: " + ALLOWED);
        }
    }

    /** Throws {@link InvalidJobException} (field {@code unique}) or {@link TypeConversionException} for a bad duration. */
    static Uniqueness parse(String value) {
        if (value.startsWith("for:")) {
            return Uniqueness.forPeriod(DurationConverter.parse(value.substring(4)));
        }
        if (value.equals("while-waiting") || value.equals("until-started") || value.equals("until-finished")) {
            return Uniqueness.parse(value);
        }
        throw new InvalidJobException("unique", value, ALLOWED);
    }
}
