package dev.teec.cli;

import dev.teec.verifier.Bytes;
import dev.teec.verifier.Policy;
import dev.teec.verifier.VerificationTime;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Option value parsers. Each throws {@link TypeConversionException}, which picocli reports as
 * "Invalid value for option '--x': message", so the message only needs to say what is wrong.
 */
final class Converters {
  private static final int MAX_ECHO = 40;

  private Converters() {}

  /** {@code now}, {@code document} or an ISO-8601 instant. */
  static final class Time implements ITypeConverter<VerificationTime> {
    @Override
    public VerificationTime convert(String value) {
      try {
        return VerificationTime.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** Hex bytes, optionally prefixed with {@code 0x}. */
  static final class Hex implements ITypeConverter<Bytes> {
    @Override
    public Bytes convert(String value) {
      return hex(value);
    }
  }

  /** {@code N=HEX}: a PCR index and the value it must have. */
  static final class Pcr implements ITypeConverter<PcrExpectation> {
    @Override
    public PcrExpectation convert(String value) {
      int eq = value.indexOf('=');
      if (eq < 0) {
        throw new TypeConversionException(
            "'" + echo(value) + "' is not N=HEX (a PCR index, '=', the expected value in hex)");
      }
      String indexText = value.substring(0, eq);
      if (!indexText.matches("[0-9]{1,2}")) {
        throw new TypeConversionException("'" + echo(indexText) + "' is not a PCR index 0..31");
      }
      int index = Integer.parseInt(indexText);
      Bytes expected = hex(value.substring(eq + 1));
      try {
        // The core builder owns the rules for indexes and value lengths; a throwaway builder
        // applies them here, so a bad value is reported against this option while parsing.
        Policy.builder().expectPcr(index, expected);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
      return new PcrExpectation(index, expected);
    }
  }

  /** A non-negative ISO-8601 duration such as {@code PT10M}. */
  static final class NonNegativeDuration implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration d;
      try {
        d = Duration.parse(value);
      } catch (DateTimeParseException e) {
        throw new TypeConversionException(
            "'" + echo(value) + "' is not an ISO-8601 duration such as PT10M, PT1H30M or P2D");
      }
      if (d.isNegative()) {
        throw new TypeConversionException("'" + echo(value) + "' is negative");
      }
      return d;
    }
  }

  private static Bytes hex(String value) {
    try {
      return Bytes.fromHex(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(
          "'"
              + echo(value)
              + "' is not hex (an even number of digits 0-9, a-f, optionally after 0x)");
    }
  }

  /** The offending text, shortened so that a pasted blob cannot flood the one-line message. */
  private static String echo(String value) {
    return value.length() <= MAX_ECHO ? value : value.substring(0, MAX_ECHO) + "...";
  }
}
