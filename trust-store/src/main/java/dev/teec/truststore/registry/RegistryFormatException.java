package dev.teec.truststore.registry;

/**
 * A registry document, signed envelope or key file is malformed. {@link #path()} is the JSON path
 * of the offending value, e.g. {@code $.images[2].pcrs.0}.
 */
public final class RegistryFormatException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String path;

  /**
   * @param path the JSON path of the offending value ({@code $} for the whole document)
   * @param message what is wrong
   */
  public RegistryFormatException(String path, String message) {
    super(path + ": " + message);
    this.path = path;
  }

  /** The JSON path of the offending value. */
  public String path() {
    return path;
  }
}
