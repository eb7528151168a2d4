package dev.teec.formats.report;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/** A fixed, fully populated report for tests here and in the bundle package. */
public final class TestReports {
  public static final String OUTPUT = "bin/hello";
  public static final String OUTPUT_SHA256 = "a".repeat(64);
  public static final String ARCHIVE_SHA256 = "b".repeat(64);
  public static final String COMMIT = "c".repeat(40);
  public static final String JAR_SHA256 = "d".repeat(64);
  public static final String LOG_SHA256 = "e".repeat(64);
  public static final String BUILD_JSON =
      "{\"language\":\"c\",\"input\":{\"cmd\":\"make\"},\"output\":{\"files\":[\"bin/hello\"]}}";

  private TestReports() {}

  public static NetworkResource jar() {
    return new NetworkResource(
        "https://example.com/a.jar", "GET", 200, 3, "application/java-archive", JAR_SHA256);
  }

  /** Every field set; {@link #sample()} builds it. */
  public static ProvenanceReport.Builder sampleBuilder() {
    return ProvenanceReport.builder()
        .subject(OUTPUT, OUTPUT_SHA256, true)
        .buildJson(BUILD_JSON.getBytes(StandardCharsets.UTF_8))
        .source(
            SourceInfo.ofArchive(ARCHIVE_SHA256)
                .withUri("git+https://example.com/r.git")
                .withCommit(COMMIT)
                .withDirty(false))
        .internalParameters(
            new InternalParameters(
                "/teec/build",
                Map.of("TZ", "UTC", "LC_ALL", "C"),
                new Isolation(true, "nitro enclave: the vsock proxy is the only route out")))
        .enclaveImage(
            new EnclaveImage(
                Map.of(0, "0".repeat(96), 1, "1".repeat(96), 2, "2".repeat(96)), "c-1"))
        .networkResource(jar())
        .builderId(ProvenanceReport.BUILDER_LOCAL)
        .invocationId("inv-1")
        .startedOn(Instant.parse("2024-01-02T03:04:05.678Z"))
        .finishedOn(Instant.parse("2024-01-02T03:05:00Z"))
        .buildLogSha256(LOG_SHA256)
        .exitCode(0);
  }

  public static ProvenanceReport sample() {
    return sampleBuilder().build();
  }

  /** The canonical bytes of {@link #sample()}, written out by hand from SPEC W3. */
  public static String sampleCanonicalJson() {
    return ("{\"_type\":\"https://in-toto.io/Statement/v1\","
            + "\"predicate\":{"
            + "\"buildDefinition\":{"
            + "\"buildType\":\"https://teec.dev/buildtypes/enclave-build/v1\","
            + "\"externalParameters\":{"
            + "\"buildJson\":{\"input\":{\"cmd\":\"make\"},\"language\":\"c\",\"output\":{\"files\":[\"bin/hello\"]}},"
            + "\"source\":{\"archiveDigest\":{\"sha256\":\"ARCHIVE\"},\"commit\":\"COMMIT\",\"dirty\":false,"
            + "\"uri\":\"git+https://example.com/r.git\"}},"
            + "\"internalParameters\":{\"buildDir\":\"/teec/build\",\"environment\":{\"LC_ALL\":\"C\",\"TZ\":\"UTC\"},"
            + "\"isolation\":{\"enforced\":true,\"reason\":\"nitro enclave: the vsock proxy is the only route out\"}},"
            + "\"resolvedDependencies\":["
            + "{\"digest\":{\"sha256\":\"ARCHIVE\"},\"name\":\"source\"},"
            + "{\"annotations\":{\"pcr0\":\"PCR0\",\"pcr1\":\"PCR1\",\"pcr2\":\"PCR2\",\"registryId\":\"c-1\"},"
            + "\"digest\":{\"nitroPcr0\":\"PCR0\"},\"name\":\"enclave-image\"},"
            + "{\"annotations\":{\"contentType\":\"application/java-archive\",\"method\":\"GET\",\"size\":3,\"status\":200},"
            + "\"digest\":{\"sha256\":\"JAR\"},\"uri\":\"https://example.com/a.jar\"}]},"
            + "\"runDetails\":{"
            + "\"builder\":{\"id\":\"https://teec.dev/builders/local/v1\"},"
            + "\"byproducts\":[{\"digest\":{\"sha256\":\"LOG\"},\"name\":\"build.log\"},"
            + "{\"annotations\":{\"value\":0},\"content\":\"MA==\",\"mediaType\":\"text/plain\",\"name\":\"exitCode\"}],"
            + "\"metadata\":{\"finishedOn\":\"2024-01-02T03:05:00Z\",\"invocationId\":\"inv-1\","
            + "\"startedOn\":\"2024-01-02T03:04:05Z\"}}},"
            + "\"predicateType\":\"https://slsa.dev/provenance/v1\","
            + "\"subject\":[{\"annotations\":{\"executable\":true},\"digest\":{\"sha256\":\"OUTPUT\"},\"name\":\"bin/hello\"}]}")
        .replace("ARCHIVE", ARCHIVE_SHA256)
        .replace("COMMIT", COMMIT)
        .replace("PCR0", "0".repeat(96))
        .replace("PCR1", "1".repeat(96))
        .replace("PCR2", "2".repeat(96))
        .replace("JAR", JAR_SHA256)
        .replace("LOG", LOG_SHA256)
        .replace("OUTPUT", OUTPUT_SHA256);
  }
}
