package dev.teec.enclave.nsm;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where teec keeps per-user state, such as the simulated NSM's root: {@code TEEC_HOME} or {@code
 * ~/.teec}.
 */
public final class TeecHome {
  /** The environment variable that overrides the default location. */
  public static final String ENV = "TEEC_HOME";

  private TeecHome() {}

  /**
   * {@code $TEEC_HOME} when set and not empty, else {@code <userHome>/.teec}. Pass {@code
   * System.getenv()} and {@code System.getProperty("user.home")}.
   *
   * @throws IllegalArgumentException if {@code TEEC_HOME} is not an absolute path, or it is unset
   *     and {@code userHome} is null or empty
   */
  public static Path resolve(Map<String, String> environment, String userHome) {
    String override = environment.get(ENV);
    if (override != null && !override.isEmpty()) {
      Path home = Path.of(override);
      if (!home.isAbsolute()) {
        throw new IllegalArgumentException(
            ENV + " must be an absolute path, got '" + override + "'");
      }
      return home;
    }
    if (userHome == null || userHome.isEmpty()) {
      throw new IllegalArgumentException(
          "neither " + ENV + " nor the user's home directory is set");
    }
    return Path.of(userHome, ".teec");
  }
}
