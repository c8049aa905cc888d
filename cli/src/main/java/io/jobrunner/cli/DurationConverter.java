package io.jobrunner.cli;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.util.Map;

/** Durations on the command line as in the config: {@code 500ms}, {@code 5s}, {@code 10m}, {@code 1h}, {@code 2d}. */
public final class DurationConverter implements ITypeConverter<Duration> {

    public static final String ALLOWED = "a duration such as 500ms, 5s, 10m, 1h or 2d";

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /** Parses a HOCON duration; negative durations are refused. */
    public static Duration parse(String value) {
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
