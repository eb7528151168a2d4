package dev.teec.truststore.registry;

import dev.teec.verifier.CheckStatus;
import java.io.IOException;
import java.util.OptionalLong;

/**
 * The {@code registry.version} check (spec R3): the version must not be below the caller's minimum,
 * nor below the highest version the {@link RegistryVersionStore} recorded for the pinned key set
 * (unless rollback was allowed explicitly). A registry that passes every check is recorded.
 */
final class VersionCheck {
  private final RegistryVersionStore versions;
  private final String keySetId;
  private final long minVersion;
  private final boolean allowRollback;

  VersionCheck(
      RegistryVersionStore versions, String keySetId, long minVersion, boolean allowRollback) {
    this.versions = versions;
    this.keySetId = keySetId;
    this.minVersion = minVersion;
    this.allowRollback = allowRollback;
  }

  /**
   * Checks {@code version}; records it when {@code authentic} (signatures and validity passed) and
   * the version check passes too.
   */
  RegistryCheck check(long version, boolean authentic) {
    if (minVersion > 0 && version < minVersion) {
      return fail("rollback: version " + version + " is below the minimum " + minVersion);
    }
    OptionalLong seen;
    try {
      seen = versions.highest(keySetId);
    } catch (IOException e) {
      return fail(
          "the version store ("
              + versions.describe()
              + ") cannot be read, so a rollback cannot be ruled out: "
              + e.getMessage());
    }
    String known =
        " verified before for this key set ("
            + versions.describe()
            + ", key set "
            + shortId()
            + ")";
    if (seen.isPresent() && version < seen.getAsLong()) {
      String rollback = "version " + version + " is below version " + seen.getAsLong() + known;
      return allowRollback
          ? new RegistryCheck(
              RegistryCheck.VERSION,
              CheckStatus.WARN,
              "ROLLBACK ALLOWED: " + rollback + "; accepted only because rollback was allowed")
          : fail("rollback: " + rollback);
    }
    if (authentic) {
      try {
        versions.record(keySetId, version);
      } catch (IOException e) {
        return fail(
            "version "
                + version
                + " cannot be recorded in the version store ("
                + versions.describe()
                + "): "
                + e.getMessage());
      }
    }
    if (seen.isPresent()) {
      return new RegistryCheck(
          RegistryCheck.VERSION,
          CheckStatus.PASS,
          "version " + version + " is at least version " + seen.getAsLong() + known);
    }
    if (minVersion > 0) {
      return new RegistryCheck(
          RegistryCheck.VERSION,
          CheckStatus.PASS,
          "version " + version + " is at least " + minVersion);
    }
    return new RegistryCheck(
        RegistryCheck.VERSION,
        CheckStatus.SKIP,
        "version "
            + version
            + "; no minimum version was given and none was verified before for this key set");
  }

  private String shortId() {
    return keySetId.substring(0, 16);
  }

  private static RegistryCheck fail(String detail) {
    return new RegistryCheck(RegistryCheck.VERSION, CheckStatus.FAIL, detail);
  }
}
