package dev.teec.json;

/**
 * The bounds of one kind of JSON or CBOR document (spec/threat-model.md, "Hostile input"): every
 * reader of input that teec did not write itself has one, and no document outside them is parsed
 * further than the point where it breaks one.
 *
 * @param maxBytes largest document, in bytes; checked before parsing
 * @param maxNesting deepest nesting of arrays and objects
 * @param maxNumberLength longest number, in characters of its JSON text (digits, sign, point and
 *     exponent); for CBOR, the decimal digits of an integer
 * @param maxExponent largest magnitude of a decimal number's exponent (its {@code BigDecimal}
 *     scale): {@code 1e999999999} is eleven characters but would take minutes to expand
 * @param maxStringLength longest string value, in characters (CBOR: bytes of a byte string too)
 * @param maxNameLength longest object member name, in characters
 */
public record JsonLimits(
    int maxBytes,
    int maxNesting,
    int maxNumberLength,
    int maxExponent,
    int maxStringLength,
    int maxNameLength) {
  /** Nesting of every teec format stays far below this. */
  public static final int DEFAULT_NESTING = 64;

  /** No number in a teec format has more than 20 digits; 100 leaves room and stays cheap. */
  public static final int DEFAULT_NUMBER_LENGTH = 100;

  /** Exponents beyond this never occur in teec formats (doubles end at 1e308). */
  public static final int DEFAULT_EXPONENT = 1000;

  /** Member names of teec formats are short; environment variable names are the longest. */
  public static final int DEFAULT_NAME_LENGTH = 64 * 1024;

  /** Checks that every bound is positive. */
  public JsonLimits {
    positive(maxBytes, "maxBytes");
    positive(maxNesting, "maxNesting");
    positive(maxNumberLength, "maxNumberLength");
    positive(maxExponent, "maxExponent");
    positive(maxStringLength, "maxStringLength");
    positive(maxNameLength, "maxNameLength");
  }

  /**
   * Limits for documents of at most {@code maxBytes} bytes, with the default nesting, number,
   * exponent and name bounds and strings up to the document size.
   */
  public static JsonLimits of(int maxBytes) {
    return new JsonLimits(
        maxBytes,
        DEFAULT_NESTING,
        DEFAULT_NUMBER_LENGTH,
        DEFAULT_EXPONENT,
        maxBytes,
        Math.min(maxBytes, DEFAULT_NAME_LENGTH));
  }

  /** These limits with another largest string. */
  public JsonLimits withMaxStringLength(int length) {
    return new JsonLimits(
        maxBytes, maxNesting, maxNumberLength, maxExponent, length, maxNameLength);
  }

  /** These limits with another deepest nesting. */
  public JsonLimits withMaxNesting(int nesting) {
    return new JsonLimits(
        maxBytes, nesting, maxNumberLength, maxExponent, maxStringLength, maxNameLength);
  }

  private static void positive(int value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }
}
