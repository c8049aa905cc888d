package io.jobrunner.cli;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.util.Map;

/**
 * Durations on the command line as in the config: {@code 500ms}, {@code 5s}, {@code 10m}, {@code 1h}, {@code 2d}.
 * A unit is required: HOCON reads a bare {@code 5} as 5 milliseconds, which nobody typing {@code --delay 5} means.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    public static final String ALLOWED = "a duration such as 500ms, 5s, 10m, 1h or 2d";

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /** Parses a HOCON duration; negative durations are refused. */
    public static Duration parse(String value) {
        if (value.strip().matches("[+-]?[0-9]+(\\.[0-9]+)?")) {
            throw new TypeConversionException("'" + value + "' has no unit; write e.g. " + value.strip() + "s for seconds or "
                    + value.strip() + "ms for milliseconds (" + ALLOWED + ")");
        }
        Duration d;
        try {
            d = ConfigFactory.parseMap(Map.of("d", value)).getDuration("d");
        } catch (ConfigException e) {
            throw new TypeConversionException("'" + value + "' is not " + ALLOWED);
        }
        if (d.isNegative()) {
            throw new TypeConversionException("'" + value + "' is negative; allowed: " + ALLOWED);
        }
        return d;
    }
}
