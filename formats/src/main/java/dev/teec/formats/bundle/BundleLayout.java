package dev.teec.formats.bundle;

import dev.teec.formats.report.ArtifactPaths;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Entry names and modes of the bundle tar (SPEC W6). */
public final class BundleLayout {
  /** The canonical report, RFC 8785 JSON. */
  public static final String REPORT = "teec/report.json";

  /** The report in a DSSE envelope signed by the build's ephemeral key. */
  public static final String REPORT_DSSE = "teec/report.dsse.json";

  /** The NSM attestation document (COSE_Sign1, CBOR) binding the report and the key. */
  public static final String ATTESTATION = "teec/attestation.cbor";

  /** Everything the build printed. */
  public static final String BUILD_LOG = "teec/build.log";

  /** Prefix of every output's entry: {@code artifacts/<declared path>}. */
  public static final String ARTIFACTS_PREFIX = "artifacts/";

  /** The four {@code teec/} entries, each present exactly once. */
  public static final List<String> TEEC_ENTRIES =
      List.of(ATTESTATION, BUILD_LOG, REPORT_DSSE, REPORT);

  /** Mode of every entry except executable outputs. */
  public static final int FILE_MODE = 0644;

  /** Mode of outputs that were executable when built. */
  public static final int EXECUTABLE_MODE = 0755;

  /** Entry order: unsigned byte order of the UTF-8 names (what {@code LC_ALL=C sort} does). */
  public static final Comparator<String> ENTRY_ORDER =
      (a, b) ->
          Arrays.compareUnsigned(
              a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

  private BundleLayout() {}

  /**
   * The mode of an output's entry: {@link #EXECUTABLE_MODE} when executable, else {@link
   * #FILE_MODE}.
   */
  public static int artifactMode(boolean executable) {
    return executable ? EXECUTABLE_MODE : FILE_MODE;
  }

  /**
   * The entry name of an output.
   *
   * @throws IllegalArgumentException if {@code declaredPath} is not a valid artifact path
   */
  public static String artifactEntry(String declaredPath) {
    return ARTIFACTS_PREFIX + ArtifactPaths.check(declaredPath);
  }
}
