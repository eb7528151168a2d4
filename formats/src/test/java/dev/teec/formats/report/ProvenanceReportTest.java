package dev.teec.formats.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ProvenanceReportTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Parses the sample's canonical JSON, lets {@code edit} change it, re-canonicalises it. */
  private static byte[] edited(Consumer<ObjectNode> edit) throws Exception {
    ObjectNode root = (ObjectNode) JSON.readTree(TestReports.sample().canonicalBytes());
    edit.accept(root);
    return Jcs.canonicalize(root);
  }

  private static ObjectNode at(ObjectNode root, String pointer) {
    return (ObjectNode) root.at(pointer);
  }

  @Test
  void canonicalBytes_sample_matchesTheHandWrittenLayout() {
    assertThat(new String(TestReports.sample().canonicalBytes(), StandardCharsets.UTF_8))
        .isEqualTo(TestReports.sampleCanonicalJson());
  }

  @Test
  void canonicalBytes_sample_isAFixedPointOfJcs() throws Exception {
    byte[] bytes = TestReports.sample().canonicalBytes();
    assertThat(Jcs.canonicalize(JSON.readTree(bytes))).isEqualTo(bytes);
  }

  @Test
  void parse_canonicalBytes_roundTripsToAnEqualReport() throws Exception {
    ProvenanceReport report = TestReports.sample();
    ProvenanceReport parsed = ProvenanceReport.parse(report.canonicalBytes());
    assertThat(parsed).isEqualTo(report);
    assertThat(parsed.canonicalBytes()).isEqualTo(report.canonicalBytes());
    assertThat(parsed.subject(TestReports.OUTPUT).sha256()).isEqualTo(TestReports.OUTPUT_SHA256);
    assertThat(parsed.subject(TestReports.OUTPUT).executable()).isTrue();
    assertThat(new String(report.canonicalBytes(), StandardCharsets.UTF_8))
        .contains(
            "{\"annotations\":{\"executable\":true},\"digest\":{\"sha256\":\""
                + TestReports.OUTPUT_SHA256
                + "\"},\"name\":\"bin/hello\"}");
    assertThat(parsed.startedOn()).isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
  }

  @Test
  void parse_minimalReport_roundTrips() throws Exception {
    ProvenanceReport minimal =
        TestReports.sampleBuilder()
            .source(SourceInfo.ofArchive(TestReports.ARCHIVE_SHA256))
            .enclaveImage(
                EnclaveImage.fromPcrBytes(
                    Map.of(0, new byte[48], 1, new byte[48], 2, new byte[48], 8, new byte[48]),
                    null))
            .exitCode(-1)
            .build();
    ProvenanceReport withoutNetwork =
        new ProvenanceReport(
            minimal.subjects(),
            minimal.buildType(),
            minimal.buildJson(),
            minimal.source(),
            minimal.internalParameters(),
            minimal.enclaveImage(),
            List.of(),
            minimal.builderId(),
            Map.of("teec-worker", "0.1.0"),
            minimal.invocationId(),
            minimal.startedOn(),
            minimal.finishedOn(),
            minimal.buildLogSha256(),
            minimal.exitCode());
    assertThat(ProvenanceReport.parse(withoutNetwork.canonicalBytes())).isEqualTo(withoutNetwork);
    JsonNode json = JSON.readTree(withoutNetwork.canonicalBytes());
    assertThat(json.at("/predicate/buildDefinition/externalParameters/source").size()).isEqualTo(1);
    assertThat(
            json.at("/predicate/buildDefinition/resolvedDependencies/1/annotations/pcr8").asText())
        .isEqualTo("0".repeat(96));
    assertThat(json.at("/predicate/runDetails/builder/version/teec-worker").asText())
        .isEqualTo("0.1.0");
    assertThat(json.at("/predicate/runDetails/byproducts/1/content").asText()).isEqualTo("LTE=");
  }

  @Test
  void constructor_orderAndDuplicatesOfInputs_doNotChangeTheBytes() {
    NetworkResource a =
        new NetworkResource("https://a.example/x", "GET", 200, 1, null, "1".repeat(64));
    NetworkResource b =
        new NetworkResource("https://b.example/y", "GET", 404, 0, "text/html", "2".repeat(64));
    ProvenanceReport one =
        TestReports.sampleBuilder()
            .subject("z/last", "3".repeat(64), false)
            .networkResources(List.of(a, b, a))
            .build();
    ProvenanceReport two =
        ProvenanceReport.builder()
            .subject("z/last", "3".repeat(64), false)
            .networkResource(b)
            .networkResource(a)
            .networkResource(TestReports.jar())
            .subject(TestReports.OUTPUT, TestReports.OUTPUT_SHA256, true)
            .buildJson(
                utf8(
                    "{ \"output\": {\"files\": [\"bin/hello\"]}, \"input\":{\"cmd\":\"make\"}, \"language\":\"c\" }"))
            .source(TestReports.sample().source())
            .internalParameters(TestReports.sample().internalParameters())
            .enclaveImage(TestReports.sample().enclaveImage())
            .builderId(ProvenanceReport.BUILDER_LOCAL)
            .invocationId("inv-1")
            .startedOn(Instant.parse("2024-01-02T03:04:05.001Z"))
            .finishedOn(Instant.parse("2024-01-02T03:05:00.999Z"))
            .buildLogSha256(TestReports.LOG_SHA256)
            .exitCode(0)
            .build();
    assertThat(one.canonicalBytes()).isEqualTo(two.canonicalBytes());
    assertThat(one).isEqualTo(two);
    assertThat(one.networkResources()).hasSize(3);
    assertThat(one.subjects()).extracting(Subject::name).containsExactly("bin/hello", "z/last");
  }

  @Test
  void buildJson_accessor_returnsACopy() {
    ProvenanceReport report = TestReports.sample();
    ((ObjectNode) report.buildJson()).put("language", "rust");
    assertThat(report.buildJson().get("language").asText()).isEqualTo("c");
  }

  @Test
  void builder_missingField_namesIt() {
    assertThatThrownBy(() -> TestReports.sampleBuilder().invocationId(null).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invocationId");
    assertThatThrownBy(() -> ProvenanceReport.builder().build()).hasMessageContaining("buildJson");
  }

  @Test
  void builder_invalidValues_areRejectedClearly() {
    assertThatThrownBy(() -> TestReports.sampleBuilder().subject("../x", "a".repeat(64), false))
        .hasMessageContaining("'..'");
    assertThatThrownBy(() -> TestReports.sampleBuilder().subject("y", "A".repeat(64), false))
        .hasMessageContaining("lowercase hex");
    assertThatThrownBy(
            () ->
                TestReports.sampleBuilder()
                    .subject(TestReports.OUTPUT, "f".repeat(64), true)
                    .build())
        .hasMessageContaining("duplicate subject");
    assertThatThrownBy(() -> TestReports.sampleBuilder().buildJson(utf8("{\"a\":1,\"a\":2}")))
        .hasMessageContaining("build.json");
    assertThatThrownBy(() -> TestReports.sampleBuilder().buildJson(utf8("[1]")))
        .hasMessageContaining("JSON object");
    assertThatThrownBy(
            () -> TestReports.sampleBuilder().buildJson(utf8("{\"timeout\":1.5}")).build())
        .hasMessageContaining("not an integer");
    assertThatThrownBy(
            () ->
                TestReports.sampleBuilder()
                    .startedOn(Instant.parse("2024-01-02T03:06:00Z"))
                    .build())
        .hasMessageContaining("before startedOn");
    assertThatThrownBy(() -> TestReports.sampleBuilder().builderId("HTTPS://x").build())
        .hasMessageContaining("lowercase scheme");
    assertThatThrownBy(() -> SourceInfo.ofArchive("b".repeat(64)).withCommit("c".repeat(41)))
        .hasMessageContaining("git object id");
    assertThatThrownBy(() -> new EnclaveImage(Map.of(0, "0".repeat(96), 1, "1".repeat(96)), null))
        .hasMessageContaining("PCR2");
    assertThatThrownBy(
            () -> new NetworkResource("https://x/", "GE T", 200, 0, null, "1".repeat(64)))
        .hasMessageContaining("not a token");
    assertThatThrownBy(() -> new NetworkResource("not a uri", "GET", 200, 0, null, "1".repeat(64)))
        .hasMessageContaining("not a valid URI");
    assertThatThrownBy(
            () -> new InternalParameters("relative", Map.of(), new Isolation(false, "local")))
        .hasMessageContaining("absolute");
  }

  @Test
  void parse_reportWithWrongTypes_isRejectedAtThePath() throws Exception {
    assertRejected(
        edited(r -> r.put("_type", "https://in-toto.io/Statement/v0.1")), "$._type", "must be");
    assertRejected(
        edited(r -> r.put("predicateType", "https://slsa.dev/provenance/v0.2")),
        "$.predicateType",
        "must be");
  }

  @Test
  void parse_subjectProblems_areRejectedAtThePath() throws Exception {
    assertRejected(edited(r -> r.putArray("subject")), "$.subject", "non-empty");
    assertRejected(
        edited(r -> at(r, "/subject/0/digest").put("sha256", "A".repeat(64))),
        "$.subject[0]",
        "lowercase hex");
    assertRejected(
        edited(r -> at(r, "/subject/0/digest").put("sha256", "a".repeat(63))),
        "$.subject[0]",
        "64");
    assertRejected(
        edited(r -> at(r, "/subject/0/digest").put("sha512", "a".repeat(128))),
        "$.subject[0].digest.sha512",
        "unknown field");
    assertRejected(
        edited(r -> at(r, "/subject/0").remove("digest")), "$.subject[0].digest", "missing");
    assertRejected(
        edited(r -> at(r, "/subject/0").put("name", "/etc/x")), "$.subject[0]", "absolute");
    assertRejected(
        edited(r -> at(r, "/subject/0").remove("annotations")),
        "$.subject[0].annotations",
        "missing");
    assertRejected(
        edited(r -> at(r, "/subject/0/annotations").remove("executable")),
        "$.subject[0].annotations.executable",
        "missing");
    assertRejected(
        edited(r -> at(r, "/subject/0/annotations").put("executable", "true")),
        "$.subject[0].annotations.executable",
        "true or false");
    assertRejected(
        edited(r -> at(r, "/subject/0/annotations").put("mode", "0755")),
        "$.subject[0].annotations.mode",
        "unknown field");
    assertRejected(
        edited(r -> ((ArrayNode) r.get("subject")).add(r.get("subject").get(0).deepCopy())),
        "$",
        "duplicate subject");
  }

  @Test
  void parse_unknownFields_areRejected() throws Exception {
    assertRejected(edited(r -> r.put("extra", 1)), "$.extra", "unknown field");
    assertRejected(
        edited(r -> at(r, "/predicate/runDetails/metadata").put("teec_note", "x")),
        "$.predicate.runDetails.metadata.teec_note",
        "unknown field");
    assertRejected(
        edited(
            r ->
                at(r, "/predicate/buildDefinition/externalParameters/source")
                    .put("branch", "main")),
        "$.predicate.buildDefinition.externalParameters.source.branch",
        "unknown field");
  }

  @Test
  void enclaveRuntime_nitroReport_isWrittenAndRoundTrips() throws Exception {
    ProvenanceReport report = inEnclave().build();
    JsonNode enclave =
        JSON.readTree(report.canonicalBytes())
            .at("/predicate/buildDefinition/internalParameters/enclave");
    assertThat(enclave.toString()).isEqualTo("{\"nsmDevice\":\"/dev/nsm\",\"parentCid\":2}");
    ProvenanceReport parsed = ProvenanceReport.parse(report.canonicalBytes());
    assertThat(parsed).isEqualTo(report);
    assertThat(parsed.internalParameters().enclave()).contains(new EnclaveRuntime("/dev/nsm", 2));
    assertThat(TestReports.sample().internalParameters().enclave()).isEmpty();
  }

  @Test
  void enclaveRuntime_badValuesAndLocalBuilder_areRejected() throws Exception {
    String enclave = "/predicate/buildDefinition/internalParameters/enclave";
    String path = "$.predicate.buildDefinition.internalParameters.enclave";
    byte[] nitro = inEnclave().build().canonicalBytes();
    assertRejected(
        reedited(nitro, r -> at(r, enclave).put("parentCid", 0x1_0000_0000L)),
        path + ".parentCid",
        "outside 0..4294967294");
    assertRejected(
        reedited(nitro, r -> at(r, enclave).put("parentCid", "2")),
        path + ".parentCid",
        "must be an integer");
    assertRejected(
        reedited(nitro, r -> at(r, enclave).put("nsmDevice", "nsm")), path, "absolute path");
    assertRejected(
        reedited(nitro, r -> at(r, enclave).put("kind", "qemu")), path + ".kind", "unknown field");
    assertRejected(
        reedited(nitro, r -> at(r, enclave).remove("parentCid")),
        path + ".parentCid",
        "required field is missing");
    // A local worker's report naming an NSM device: the simulated NSM is none.
    assertRejected(
        edited(
            r ->
                at(r, "/predicate/buildDefinition/internalParameters")
                    .putObject("enclave")
                    .put("nsmDevice", "/dev/nsm")
                    .put("parentCid", 3)),
        "$",
        "only by a worker in an enclave");
    assertThatThrownBy(() -> new EnclaveRuntime("/dev/nsm", -1))
        .hasMessageContaining("parent CID must be in 0..4294967294");
  }

  private static ProvenanceReport.Builder inEnclave() {
    InternalParameters ip = TestReports.sample().internalParameters();
    return TestReports.sampleBuilder()
        .builderId(ProvenanceReport.BUILDER_NITRO)
        .internalParameters(ip.withEnclave(new EnclaveRuntime("/dev/nsm", 2)));
  }

  private static byte[] reedited(byte[] report, Consumer<ObjectNode> edit) throws Exception {
    ObjectNode root = (ObjectNode) JSON.readTree(report);
    edit.accept(root);
    return Jcs.canonicalize(root);
  }

  @Test
  void parse_dependencyProblems_areRejected() throws Exception {
    String deps = "/predicate/buildDefinition/resolvedDependencies";
    assertRejected(
        edited(r -> ((ArrayNode) r.at(deps)).remove(0)),
        "$.predicate.buildDefinition.resolvedDependencies",
        "\"source\"");
    assertRejected(
        edited(r -> ((ObjectNode) r.at(deps + "/0/digest")).put("sha256", "f".repeat(64))),
        "$.predicate.buildDefinition.resolvedDependencies",
        "differs from externalParameters.source.archiveDigest");
    assertRejected(
        edited(r -> ((ObjectNode) r.at(deps + "/1/digest")).put("nitroPcr0", "9".repeat(96))),
        "$.predicate.buildDefinition.resolvedDependencies[1]",
        "differs from annotations.pcr0");
    assertRejected(
        edited(r -> ((ObjectNode) r.at(deps + "/1/annotations")).put("pcr32", "9".repeat(96))),
        "$.predicate.buildDefinition.resolvedDependencies[1]",
        "outside 0..31");
    assertRejected(
        edited(r -> ((ObjectNode) r.at(deps + "/1/annotations")).put("pcr01", "9".repeat(96))),
        "$.predicate.buildDefinition.resolvedDependencies[1].annotations.pcr01",
        "unknown annotation");
    assertRejected(
        edited(r -> ((ObjectNode) r.at(deps + "/2")).put("name", "extra")),
        "$.predicate.buildDefinition.resolvedDependencies[2].name",
        "unknown dependency name");
    assertRejected(
        edited(r -> ((ObjectNode) r.at(deps + "/2/annotations")).put("status", 700)),
        "$.predicate.buildDefinition.resolvedDependencies[2].annotations.status",
        "outside");
    assertRejected(
        edited(r -> ((ObjectNode) r.at(deps + "/2/annotations")).put("size", "3")),
        "$.predicate.buildDefinition.resolvedDependencies[2].annotations.size",
        "integer");
  }

  @Test
  void parse_runDetailProblems_areRejected() throws Exception {
    assertRejected(
        edited(
            r ->
                at(r, "/predicate/runDetails/metadata").put("startedOn", "2024-01-02T03:04:05.5Z")),
        "$.predicate.runDetails.metadata.startedOn",
        "RFC 3339");
    assertRejected(
        edited(
            r -> at(r, "/predicate/runDetails/metadata").put("startedOn", "2024-02-30T03:04:05Z")),
        "$.predicate.runDetails.metadata.startedOn",
        "not a valid date");
    assertRejected(
        edited(r -> at(r, "/predicate/runDetails/byproducts/1").put("content", "MQ==")),
        "$.predicate.runDetails.byproducts[1].content",
        "exit code 0");
    assertRejected(
        edited(r -> ((ArrayNode) r.at("/predicate/runDetails/byproducts")).remove(1)),
        "$.predicate.runDetails.byproducts",
        "exactly two");
    assertRejected(
        edited(r -> at(r, "/predicate/runDetails/builder").putObject("version")),
        "$.predicate.runDetails.builder.version",
        "empty");
  }

  @Test
  void parse_nonIntegerInBuildJson_isRejected() throws Exception {
    String json =
        TestReports.sampleCanonicalJson()
            .replace("\"language\":\"c\"", "\"language\":\"c\",\"t\":1.5");
    assertRejected(
        utf8(json), "$.predicate.buildDefinition.externalParameters.buildJson.t", "not an integer");
  }

  @Test
  void parse_nonCanonicalForms_areRejected() throws Exception {
    String canonical = TestReports.sampleCanonicalJson();
    assertRejected(
        utf8(canonical + "\n"), "$", "first difference at byte offset " + canonical.length());
    assertRejected(utf8(" " + canonical), "$", "first difference at byte offset 0");
    String reordered =
        canonical.replace(
            "\"predicateType\":\"https://slsa.dev/provenance/v1\",\"subject\"", "\"subject\"");
    reordered =
        reordered.substring(0, reordered.length() - 1)
            + ",\"predicateType\":\"https://slsa.dev/provenance/v1\"}";
    assertRejected(utf8(reordered), "$", "canonical form");
    assertRejected(
        utf8(canonical.replace("\"size\":3", "\"size\":3.0")),
        "$.predicate.buildDefinition.resolvedDependencies[2].annotations.size",
        "integer");
    assertRejected(
        utf8(canonical.replace("https://example.com/a.jar", "https:\\/\\/example.com/a.jar")),
        "$",
        "canonical form");
    assertRejected(utf8(canonical.replace("inv-1", "inv\\u002d1")), "$", "canonical form");
  }

  private static final String INTERNAL = "/predicate/buildDefinition/internalParameters";
  private static final String TOOLS = "$.predicate.buildDefinition.internalParameters.tools";

  private static ProvenanceReport withTools(List<ResolvedTool> tools) {
    return TestReports.sampleBuilder()
        .internalParameters(
            new InternalParameters(
                "/teec/build",
                Map.of("PATH", "/root/.cargo/bin:/usr/bin"),
                new Isolation(false, "none"),
                java.util.Optional.of(tools),
                java.util.Optional.empty()))
        .build();
  }

  private static ResolvedTool cargo() {
    return new ResolvedTool(
        "cargo",
        "/root/.cargo/bin/cargo",
        "/root/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/bin/cargo",
        "cargo 1.95.0 (f2d3ce0bd 2026-03-21)");
  }

  @Test
  void tools_recorded_roundTripSortedByName_versionOptional() throws Exception {
    ResolvedTool rustc = new ResolvedTool("rustc", "/usr/bin/rustc", "/usr/bin/rustc", null);
    ProvenanceReport report = withTools(List.of(rustc, cargo()));
    String json = new String(report.canonicalBytes(), StandardCharsets.UTF_8);
    assertThat(json)
        .contains(
            "\"tools\":[{\"name\":\"cargo\",\"path\":\"/root/.cargo/bin/cargo\",\"resolvedPath\":"
                + "\"/root/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/bin/cargo\","
                + "\"version\":\"cargo 1.95.0 (f2d3ce0bd 2026-03-21)\"},"
                + "{\"name\":\"rustc\",\"path\":\"/usr/bin/rustc\",\"resolvedPath\":\"/usr/bin/rustc\"}]");
    ProvenanceReport parsed = ProvenanceReport.parse(report.canonicalBytes());
    assertThat(parsed).isEqualTo(report);
    assertThat(parsed.internalParameters().tools().orElseThrow())
        .extracting(ResolvedTool::name)
        .containsExactly("cargo", "rustc");
    // Recorded but none found is not the same as not recorded.
    assertThat(new String(withTools(List.of()).canonicalBytes(), StandardCharsets.UTF_8))
        .contains("\"tools\":[]");
    assertThat(new String(TestReports.sample().canonicalBytes(), StandardCharsets.UTF_8))
        .doesNotContain("\"tools\"");
  }

  @Test
  void tools_invalid_areRejected() throws Exception {
    byte[] good = withTools(List.of(cargo())).canonicalBytes();
    ObjectNode root = (ObjectNode) JSON.readTree(good);
    ObjectNode tool = (ObjectNode) root.at(INTERNAL + "/tools/0");
    tool.put("sha256", "x");
    assertRejected(Jcs.canonicalize(root), TOOLS + "[0].sha256", "unknown field");
    tool.remove("sha256");
    tool.put("path", "cargo");
    assertRejected(Jcs.canonicalize(root), TOOLS + "[0]", "must be absolute");
    tool.put("path", "/root/.cargo/bin/cargo");
    tool.put("version", "cargo\n1.0");
    assertRejected(Jcs.canonicalize(root), TOOLS + "[0]", "control character");
    tool.remove("version");
    tool.remove("resolvedPath");
    assertRejected(Jcs.canonicalize(root), TOOLS + "[0].resolvedPath", "required");
    at(root, INTERNAL).put("tools", "cargo");
    assertRejected(Jcs.canonicalize(root), TOOLS, "must be an array");
    ArrayNode twice = at(root, INTERNAL).putArray("tools");
    twice.add(JSON.readTree(good).at(INTERNAL + "/tools/0"));
    twice.add(JSON.readTree(good).at(INTERNAL + "/tools/0"));
    assertRejected(
        Jcs.canonicalize(root), "$.predicate.buildDefinition.internalParameters", "twice");
    // Unsorted tools are not the canonical form.
    ArrayNode unsorted = at(root, INTERNAL).putArray("tools");
    unsorted.add(
        JSON.readTree(
            "{\"name\":\"rustc\",\"path\":\"/usr/bin/rustc\",\"resolvedPath\":\"/usr/bin/rustc\"}"));
    unsorted.add(JSON.readTree(good).at(INTERNAL + "/tools/0"));
    assertRejected(Jcs.canonicalize(root), "$", "canonical form");
  }

  @Test
  void parse_invalidJson_isRejected() {
    String canonical = TestReports.sampleCanonicalJson();
    assertRejected(
        utf8(canonical.replace("{\"_type\":", "{\"_type\":\"x\",\"_type\":")), "$", "Duplicate");
    assertRejected(utf8(canonical + "{}"), "$", "not valid JSON");
    assertRejected(utf8("[]"), "$", "must be a JSON object");
    assertRejected(new byte[0], "$", "empty");
    assertRejected(new byte[ProvenanceReport.MAX_BYTES + 1], "$", "more than");
    assertRejected(HexFormat.of().parseHex("7b225f74797065223a22ff227d"), "$", "not valid JSON");
  }

  private static void assertRejected(byte[] bytes, String path, String message) {
    assertThatThrownBy(() -> ProvenanceReport.parse(bytes))
        .isInstanceOf(ReportFormatException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((ReportFormatException) e).path()).isEqualTo(path));
  }
}
