package dev.teec.formats.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The build report: an in-toto Statement v1 whose predicate is SLSA Provenance v1 (SPEC W3).
 *
 * <p>The record holds the report's facts; {@link #canonicalBytes()} lays them out as the statement
 * JSON in RFC 8785 canonical form, and {@link #parse(byte[])} is its exact inverse: it accepts
 * precisely the byte strings that {@code canonicalBytes()} produces, so {@code
 * parse(r.canonicalBytes()).equals(r)} and the bytes that were hashed into the attestation are the
 * only serialisation of the report.
 *
 * <p>The constructor normalises, so that equal builds give equal reports: subjects are sorted by
 * name (duplicates rejected), network resources are sorted by every field and exact duplicates
 * merged (SLSA's {@code resolvedDependencies} is unordered, and parallel downloads finish in any
 * order), times are truncated to whole seconds, and {@code buildJson} is re-read from its canonical
 * form.
 *
 * @param subjects the outputs, at least one
 * @param buildType the SLSA buildType URI, normally {@link #BUILD_TYPE}
 * @param buildJson the build.json the client sent, as a JSON object
 * @param source the source that was built
 * @param internalParameters the worker's own settings for this build
 * @param enclaveImage the image the build ran in
 * @param networkResources every request the build made through the proxy
 * @param builderId the SLSA builder id, {@link #BUILDER_NITRO} or {@link #BUILDER_LOCAL}
 * @param builderVersion component name to version, possibly empty
 * @param invocationId this build's unique id, 1..256 characters
 * @param startedOn when the build started
 * @param finishedOn when it finished, not before {@code startedOn}
 * @param buildLogSha256 SHA-256 of {@code teec/build.log} in the bundle
 * @param exitCode the build command's exit status
 */
public record ProvenanceReport(
    List<Subject> subjects,
    String buildType,
    JsonNode buildJson,
    SourceInfo source,
    InternalParameters internalParameters,
    EnclaveImage enclaveImage,
    List<NetworkResource> networkResources,
    String builderId,
    Map<String, String> builderVersion,
    String invocationId,
    Instant startedOn,
    Instant finishedOn,
    String buildLogSha256,
    int exitCode) {

  /** The in-toto statement type. */
  public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";

  /** The SLSA Provenance v1 predicate type. */
  public static final String PREDICATE_TYPE = "https://slsa.dev/provenance/v1";

  /** teec's build type, defined by SPEC W3. */
  public static final String BUILD_TYPE = "https://teec.dev/buildtypes/enclave-build/v1";

  /** Builder id of the worker running inside a Nitro Enclave. */
  public static final String BUILDER_NITRO = "https://teec.dev/builders/nitro-enclave/v1";

  /**
   * Builder id of the worker running locally with a simulated NSM: a different security model, so,
   * as SLSA requires, a different id.
   */
  public static final String BUILDER_LOCAL = "https://teec.dev/builders/local/v1";

  /** Largest report accepted by {@link #parse(byte[])} and produced by the builder. */
  public static final int MAX_BYTES = 8 * 1024 * 1024;

  /** Latest representable time: RFC 3339 has four-digit years. */
  private static final Instant MAX_TIME = Instant.parse("9999-12-31T23:59:59Z");

  /** Validates every component and normalises as described above. */
  public ProvenanceReport {
    Objects.requireNonNull(subjects, "subjects");
    if (subjects.isEmpty()) {
      throw new IllegalArgumentException("a report needs at least one subject (output)");
    }
    List<Subject> sortedSubjects = new ArrayList<>(subjects);
    sortedSubjects.sort(Comparator.comparing(Subject::name));
    for (int i = 1; i < sortedSubjects.size(); i++) {
      if (sortedSubjects.get(i).name().equals(sortedSubjects.get(i - 1).name())) {
        throw new IllegalArgumentException("duplicate subject " + sortedSubjects.get(i).name());
      }
    }
    subjects = List.copyOf(sortedSubjects);
    Checks.uri(buildType, "buildType");
    Objects.requireNonNull(buildJson, "buildJson");
    if (!buildJson.isObject()) {
      throw new IllegalArgumentException(
          "buildJson must be a JSON object, got " + buildJson.getNodeType());
    }
    buildJson = ReportJson.normalize(buildJson);
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(internalParameters, "internalParameters");
    Objects.requireNonNull(enclaveImage, "enclaveImage");
    Objects.requireNonNull(networkResources, "networkResources");
    networkResources.forEach(r -> Objects.requireNonNull(r, "network resource"));
    networkResources = List.copyOf(new TreeSet<>(networkResources));
    Checks.uri(builderId, "builder id");
    if (internalParameters.enclave().isPresent() && !builderId.equals(BUILDER_NITRO)) {
      // The simulated NSM is no device: a local worker naming one would misdescribe its build.
      throw new IllegalArgumentException(
          "internalParameters.enclave is recorded only by a worker in an enclave (builder id "
              + BUILDER_NITRO
              + "), not by "
              + builderId);
    }
    Objects.requireNonNull(builderVersion, "builderVersion");
    builderVersion.forEach(
        (component, version) -> {
          Checks.text(component, 256, "builder component name");
          Checks.text(version, 256, "version of builder component " + component);
        });
    builderVersion = Map.copyOf(builderVersion);
    Checks.text(invocationId, 256, "invocationId");
    startedOn = checkTime(startedOn, "startedOn");
    finishedOn = checkTime(finishedOn, "finishedOn");
    if (finishedOn.isBefore(startedOn)) {
      throw new IllegalArgumentException(
          "finishedOn " + finishedOn + " is before startedOn " + startedOn);
    }
    Checks.sha256(buildLogSha256, "build log digest");
  }

  private static Instant checkTime(Instant t, String what) {
    Objects.requireNonNull(t, what);
    Instant seconds = t.truncatedTo(ChronoUnit.SECONDS);
    if (seconds.isBefore(Instant.EPOCH) || seconds.isAfter(MAX_TIME)) {
      throw new IllegalArgumentException(what + " " + t + " is outside 1970..9999");
    }
    return seconds;
  }

  /** A copy of the build.json object (the record's own tree is never handed out). */
  @Override
  public JsonNode buildJson() {
    return buildJson.deepCopy();
  }

  /**
   * The subject named {@code name}, or null. A binary search of the sorted subjects: verifying
   * looks up every artifact, and a linear scan made that quadratic in the number of artifacts.
   */
  public Subject subject(String name) {
    int low = 0;
    int high = subjects.size() - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int c = subjects.get(mid).name().compareTo(name);
      if (c == 0) {
        return subjects.get(mid);
      } else if (c < 0) {
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return null;
  }

  /**
   * The statement JSON in RFC 8785 canonical form: the bytes that are hashed into the attestation's
   * user_data, signed in the DSSE envelope and stored as {@code teec/report.json}.
   *
   * @throws IllegalStateException if the report would exceed {@link #MAX_BYTES}
   */
  public byte[] canonicalBytes() {
    byte[] bytes = Jcs.canonicalize(ReportWriter.write(this));
    if (bytes.length > MAX_BYTES) {
      throw new IllegalStateException(
          "report is "
              + bytes.length
              + " bytes, more than the "
              + MAX_BYTES
              + " a verifier accepts");
    }
    return bytes;
  }

  /**
   * Parses and strictly validates a report: well-formed JSON without duplicate keys, the statement
   * and predicate types above, every field of SPEC W3 with its type and format, no field this
   * version does not write, and finally byte equality with the canonical form.
   *
   * @throws ReportFormatException naming the JSON path of the first problem found
   */
  public static ProvenanceReport parse(byte[] bytes) throws ReportFormatException {
    return ReportReader.read(bytes);
  }

  /** A builder with {@link #BUILD_TYPE} preset and every other field unset. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Collects a report's facts in any order; {@link #build()} validates them. Not thread-safe. Every
   * setter returns this builder.
   */
  public static final class Builder {
    private final List<Subject> subjects = new ArrayList<>();
    private String buildType = BUILD_TYPE;
    private JsonNode buildJson;
    private SourceInfo source;
    private InternalParameters internalParameters;
    private EnclaveImage enclaveImage;
    private final List<NetworkResource> networkResources = new ArrayList<>();
    private String builderId;
    private final Map<String, String> builderVersion = new LinkedHashMap<>();
    private String invocationId;
    private Instant startedOn;
    private Instant finishedOn;
    private String buildLogSha256;
    private Integer exitCode;

    private Builder() {}

    /**
     * Adds an output: its declared path, the SHA-256 of its bytes and whether it is executable (the
     * mode it gets in the bundle).
     */
    public Builder subject(String name, String sha256, boolean executable) {
      subjects.add(new Subject(name, sha256, executable));
      return this;
    }

    /** Overrides the build type (default {@link #BUILD_TYPE}). */
    public Builder buildType(String uri) {
      this.buildType = uri;
      return this;
    }

    /**
     * Sets build.json from the exact bytes the client sent: strict JSON (no duplicate keys, nothing
     * after the value), an object, integers only.
     *
     * @throws IllegalArgumentException if the bytes are not such a JSON object
     */
    public Builder buildJson(byte[] json) {
      this.buildJson = ReportJson.parseBuildJson(json);
      return this;
    }

    /** Sets the source description. */
    public Builder source(SourceInfo source) {
      this.source = source;
      return this;
    }

    /** Sets the worker's own build settings. */
    public Builder internalParameters(InternalParameters parameters) {
      this.internalParameters = parameters;
      return this;
    }

    /** Sets the enclave image the build ran in. */
    public Builder enclaveImage(EnclaveImage image) {
      this.enclaveImage = image;
      return this;
    }

    /** Adds one proxied request; order does not matter. */
    public Builder networkResource(NetworkResource resource) {
      networkResources.add(Objects.requireNonNull(resource, "network resource"));
      return this;
    }

    /** Adds proxied requests; order does not matter. */
    public Builder networkResources(List<NetworkResource> resources) {
      resources.forEach(this::networkResource);
      return this;
    }

    /** Sets the builder id ({@link #BUILDER_NITRO} or {@link #BUILDER_LOCAL}). */
    public Builder builderId(String id) {
      this.builderId = id;
      return this;
    }

    /** Records a builder component's version, for example {@code "teec-worker" -> "0.1.0"}. */
    public Builder builderVersion(String component, String version) {
      builderVersion.put(component, version);
      return this;
    }

    /** Sets the unique id of this build invocation. */
    public Builder invocationId(String id) {
      this.invocationId = id;
      return this;
    }

    /** Sets the start time (truncated to seconds). */
    public Builder startedOn(Instant t) {
      this.startedOn = t;
      return this;
    }

    /** Sets the finish time (truncated to seconds). */
    public Builder finishedOn(Instant t) {
      this.finishedOn = t;
      return this;
    }

    /** Sets the SHA-256 of the build log stored in the bundle. */
    public Builder buildLogSha256(String sha256) {
      this.buildLogSha256 = sha256;
      return this;
    }

    /** Sets the build command's exit status. */
    public Builder exitCode(int code) {
      this.exitCode = code;
      return this;
    }

    /**
     * Builds the report.
     *
     * @throws IllegalArgumentException naming the first field that is missing or invalid
     */
    public ProvenanceReport build() {
      require(buildJson, "buildJson");
      require(source, "source");
      require(internalParameters, "internalParameters");
      require(enclaveImage, "enclaveImage");
      require(builderId, "builderId");
      require(invocationId, "invocationId");
      require(startedOn, "startedOn");
      require(finishedOn, "finishedOn");
      require(buildLogSha256, "buildLogSha256");
      require(exitCode, "exitCode");
      return new ProvenanceReport(
          subjects,
          buildType,
          buildJson,
          source,
          internalParameters,
          enclaveImage,
          networkResources,
          builderId,
          builderVersion,
          invocationId,
          startedOn,
          finishedOn,
          buildLogSha256,
          exitCode);
    }

    private static void require(Object value, String name) {
      if (value == null) {
        throw new IllegalArgumentException("report field " + name + " was not set");
      }
    }
  }
}
