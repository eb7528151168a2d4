package dev.teec.cli.registry;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Picocli converters for the registry commands' times. */
final class TimeConverters {
  private TimeConverters() {}

  /** An ISO-8601 instant such as {@code 2026-01-01T00:00:00Z}. */
  static final class InstantConverter implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return Instant.parse(value);
      } catch (DateTimeParseException e) {
        throw new TypeConversionException(
            "'" + value + "' is not an ISO-8601 instant such as 2026-01-01T00:00:00Z");
      }
    }
  }

  /** A positive ISO-8601 duration such as {@code P365D}. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        Duration d = Duration.parse(value);
        if (d.isNegative() || d.isZero()) {
          throw new TypeConversionException("'" + value + "' is not positive");
        }
        return d;
      } catch (DateTimeParseException e) {
        throw new TypeConversionException(
            "'" + value + "' is not an ISO-8601 duration such as P365D");
      }
    }
  }
}
