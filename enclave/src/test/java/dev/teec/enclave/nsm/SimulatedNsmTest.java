package dev.teec.enclave.nsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.teec.verifier.AttestationDocument;
import dev.teec.verifier.AttestationVerifier;
import dev.teec.verifier.Bytes;
import dev.teec.verifier.CheckId;
import dev.teec.verifier.Policy;
import dev.teec.verifier.TrustAnchors;
import dev.teec.verifier.VerificationOptions;
import dev.teec.verifier.VerificationResult;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedNsmTest {
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00.123Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final WorkerIdentity IDENTITY =
      WorkerIdentity.of("teec-worker test", "runtime", "code");
  private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());

  @TempDir Path home;

  private static AttestationVerifier verifier(Clock clock, X509Certificate root) {
    return AttestationVerifier.builder()
        .clock(clock)
        .trustAnchors(TrustAnchors.of(List.of(root)))
        .build();
  }

  private static JsonNode payload(byte[] document) throws Exception {
    return CBOR.readTree(CBOR.readTree(document).get(2).binaryValue());
  }

  @Test
  void attest_withSimulatedRootAsAnchor_verifies() throws Exception {
    SimulatedNsm nsm = SimulatedNsm.open(home, CLOCK, IDENTITY);

    byte[] document = nsm.attest(AttestationRequest.empty());

    VerificationResult r = verifier(CLOCK, nsm.rootCertificate()).verify(document);
    assertThat(r.failures()).isEmpty();
    assertThat(r.verified()).isTrue();
    AttestationDocument d = r.requireVerified().document();
    assertThat(d.moduleId())
        .isEqualTo(nsm.moduleId())
        .matches("sim-i-[0-9a-f]{17}-enc[0-9a-f]{16}");
    assertThat(d.timestamp()).isEqualTo(NOW);
    assertThat(d.debugMode()).isFalse();
    assertThat(d.cabundle()).hasSize(4);
    assertThat(d.cabundle().get(0).toByteArray()).isEqualTo(nsm.rootCertificate().getEncoded());
  }

  @Test
  void attest_withDefaultAwsAnchors_failsRootPinning() throws Exception {
    SimulatedNsm nsm = SimulatedNsm.open(home, CLOCK, IDENTITY);

    VerificationResult r =
        AttestationVerifier.builder()
            .clock(CLOCK)
            .build()
            .verify(nsm.attest(AttestationRequest.empty()));

    assertThat(r.verified()).isFalse();
    assertThat(r.failures()).containsExactly(CheckId.CHAIN_ROOT_PINNED);
  }

  @Test
  void attest_fields_roundTripAndMatchPolicy() throws Exception {
    SimulatedNsm nsm = SimulatedNsm.open(home, CLOCK, IDENTITY);
    byte[] userData = HexFormat.of().parseHex("ab".repeat(48));
    byte[] nonce = "client nonce".getBytes(StandardCharsets.UTF_8);
    byte[] publicKey =
        KeyPairGenerator.getInstance("EC").generateKeyPair().getPublic().getEncoded();

    byte[] document = nsm.attest(new AttestationRequest(userData, nonce, publicKey));

    Policy policy =
        Policy.builder()
            .expectUserData(Bytes.of(userData))
            .expectNonce(Bytes.of(nonce))
            .expectPublicKey(Bytes.of(publicKey))
            .expectPcr(0, Bytes.of(IDENTITY.pcrs().get(0)))
            .expectPcr(1, Bytes.of(IDENTITY.pcrs().get(1)))
            .expectPcr(2, Bytes.of(IDENTITY.pcrs().get(2)))
            .build();
    VerificationResult r =
        verifier(CLOCK, nsm.rootCertificate())
            .verify(document, VerificationOptions.builder().policy(policy).build());
    assertThat(r.failures()).isEmpty();
    AttestationDocument d = r.requireVerified().document();
    assertThat(d.userData()).contains(Bytes.of(userData));
    assertThat(d.nonce()).contains(Bytes.of(nonce));
    assertThat(d.publicKey()).contains(Bytes.of(publicKey));
  }

  @Test
  void attest_largestFields_verifiesAndFitsDriverLimit() throws Exception {
    SimulatedNsm nsm = SimulatedNsm.open(home, CLOCK, IDENTITY);
    byte[] max = new byte[AttestationRequest.MAX_FIELD_BYTES];
    Arrays.fill(max, (byte) 0x11);

    byte[] document = nsm.attest(new AttestationRequest(max, max, max));

    assertThat(NsmCodec.encodeAttestationResponse(document).length)
        .isLessThanOrEqualTo(NsmCodec.MAX_RESPONSE_BYTES);
    assertThat(verifier(CLOCK, nsm.rootCertificate()).verify(document).failures()).isEmpty();
  }

  @Test
  void attest_layout_isTheAwsOne() throws Exception {
    SimulatedNsm nsm = SimulatedNsm.open(home, CLOCK, IDENTITY);

    byte[] document = nsm.attest(AttestationRequest.empty());

    // Untagged COSE_Sign1: an array of four; protected header {1: -35}; empty unprotected map.
    assertThat(document[0]).isEqualTo((byte) 0x84);
    JsonNode envelope = CBOR.readTree(document);
    assertThat(HexFormat.of().formatHex(envelope.get(0).binaryValue())).isEqualTo("a1013822");
    assertThat(envelope.get(1).isObject() && envelope.get(1).isEmpty()).isTrue();
    assertThat(envelope.get(3).binaryValue()).hasSize(96);
    JsonNode payload = payload(document);
    List<String> keys = new ArrayList<>();
    payload.fieldNames().forEachRemaining(keys::add);
    assertThat(keys)
        .containsExactly(
            "module_id",
            "digest",
            "timestamp",
            "pcrs",
            "certificate",
            "cabundle",
            "public_key",
            "user_data",
            "nonce");
    assertThat(payload.get("digest").asText()).isEqualTo("SHA384");
    assertThat(payload.get("timestamp").asLong()).isEqualTo(NOW.toEpochMilli());
    assertThat(payload.get("public_key").isNull()).isTrue();
    assertThat(payload.get("user_data").isNull()).isTrue();
    assertThat(payload.get("nonce").isNull()).isTrue();
    JsonNode pcrs = payload.get("pcrs");
    List<String> indexes = new ArrayList<>();
    pcrs.fieldNames().forEachRemaining(indexes::add);
    assertThat(indexes)
        .containsExactly(
            "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15");
    for (int i = 0; i < 16; i++) {
      assertThat(pcrs.get(String.valueOf(i)).binaryValue()).isEqualTo(IDENTITY.pcrs().get(i));
    }
  }

  @Test
  void attest_chain_isFreshAroundTheClockWithAThreeHourLeaf() throws Exception {
    SimulatedNsm nsm = SimulatedNsm.open(home, CLOCK, IDENTITY);

    AttestationDocument d =
        verifier(CLOCK, nsm.rootCertificate())
            .verify(nsm.attest(AttestationRequest.empty()))
            .requireVerified()
            .document();

    X509Certificate leaf = SimulatedNsm.parse(d.certificate().toByteArray());
    Duration lifetime =
        Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
    assertThat(lifetime).isBetween(Duration.ofHours(3), Duration.ofHours(3).plusMinutes(1));
    assertThat(leaf.getNotBefore().toInstant()).isBefore(NOW);
    assertThat(leaf.getNotAfter().toInstant()).isAfter(NOW);
    assertThat(leaf.getSubjectX500Principal().getName())
        .contains("CN=" + nsm.moduleId() + ".simulated.teec");
    X509Certificate root = nsm.rootCertificate();
    assertThat(root.getNotBefore().toInstant()).isEqualTo(SimulatedNsm.ROOT_NOT_BEFORE);
    assertThat(root.getNotAfter().toInstant()).isEqualTo(SimulatedNsm.ROOT_NOT_AFTER);
    assertThat(root.getSubjectX500Principal().getName()).contains("CN=teec-simulated-nsm-root");
  }

  @Test
  void open_twice_keepsRootByteIdentical_acrossDays() throws Exception {
    SimulatedNsm first = SimulatedNsm.open(home, CLOCK, IDENTITY);
    byte[] rootFile = Files.readAllBytes(home.resolve("simulated-nsm/root.pem"));
    Clock later = Clock.fixed(NOW.plus(Duration.ofDays(45)), ZoneOffset.UTC);

    SimulatedNsm second = SimulatedNsm.open(home, later, IDENTITY);

    assertThat(second.simulatedRootPem())
        .isEqualTo(first.simulatedRootPem())
        .isEqualTo(new String(rootFile, StandardCharsets.US_ASCII));
    assertThat(Files.readAllBytes(home.resolve("simulated-nsm/root.pem"))).isEqualTo(rootFile);
    // A new boot: other intermediates, leaf and module id, same root.
    assertThat(second.moduleId()).isNotEqualTo(first.moduleId());
    byte[] document = second.attest(AttestationRequest.empty());
    assertThat(verifier(later, first.rootCertificate()).verify(document).failures()).isEmpty();
  }

  @Test
  void open_concurrentFirstUse_agreesOnOneRoot() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<SimulatedNsm>> opened = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        opened.add(pool.submit(() -> SimulatedNsm.open(home, CLOCK, IDENTITY)));
      }
      List<String> roots = new ArrayList<>();
      for (Future<SimulatedNsm> f : opened) {
        roots.add(f.get().simulatedRootPem());
      }
      assertThat(roots).containsOnly(Files.readString(home.resolve("simulated-nsm/root.pem")));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void open_freshHome_makesAnotherRoot(@TempDir Path otherHome) throws Exception {
    SimulatedNsm a = SimulatedNsm.open(home, CLOCK, IDENTITY);
    SimulatedNsm b = SimulatedNsm.open(otherHome, CLOCK, IDENTITY);

    assertThat(b.simulatedRootPem()).isNotEqualTo(a.simulatedRootPem());
    VerificationResult r =
        verifier(CLOCK, a.rootCertificate()).verify(b.attest(AttestationRequest.empty()));
    assertThat(r.failures()).containsExactly(CheckId.CHAIN_ROOT_PINNED);
  }

  @Test
  void open_createsPrivateDirectoryAndSecret() throws Exception {
    Path teecHome = home.resolve("nested/.teec");
    SimulatedNsm nsm = SimulatedNsm.open(teecHome, CLOCK, IDENTITY);
    Path dir = teecHome.resolve("simulated-nsm");

    assertThat(nsm.directory()).isEqualTo(dir.toAbsolutePath());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(teecHome)))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("seed"))))
        .isEqualTo("rw-------");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("root.pem"))))
        .isEqualTo("rw-r--r--");
    assertThat(Files.readString(dir.resolve("seed"))).matches("[0-9a-f]{64}\n");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("seed", "root.pem");
    }
    assertThat(nsm.describe())
        .startsWith("simulated (root sha256 ")
        .endsWith(", " + dir.toAbsolutePath() + ")");
  }

  @Test
  void open_seedReadableByOthers_isRefused() throws Exception {
    SimulatedNsm.open(home, CLOCK, IDENTITY);
    Path seed = home.resolve("simulated-nsm/seed");
    Files.setPosixFilePermissions(seed, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> SimulatedNsm.open(home, CLOCK, IDENTITY))
        .isInstanceOf(NsmException.class)
        .hasMessageContaining(
            seed.toAbsolutePath() + " is accessible to group or others (rw-r--r--)")
        .hasMessageContaining("chmod 600");
  }

  @Test
  void open_malformedSeed_isRefused() throws Exception {
    SimulatedNsm.open(home, CLOCK, IDENTITY);
    Files.writeString(home.resolve("simulated-nsm/seed"), "not hex\n");

    assertThatThrownBy(() -> SimulatedNsm.open(home, CLOCK, IDENTITY))
        .isInstanceOf(NsmException.class)
        .hasMessageContaining("malformed simulated NSM seed");
  }

  @Test
  void open_rootOfAnotherSeed_isRefused(@TempDir Path otherHome) throws Exception {
    SimulatedNsm.open(home, CLOCK, IDENTITY);
    SimulatedNsm.open(otherHome, CLOCK, IDENTITY);
    Files.copy(
        otherHome.resolve("simulated-nsm/root.pem"),
        home.resolve("simulated-nsm/root.pem"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(() -> SimulatedNsm.open(home, CLOCK, IDENTITY))
        .isInstanceOf(NsmException.class)
        .hasMessageContaining("is not the root of the seed next to it");
  }

  @Test
  void open_missingRootPem_isRecreatedIdentically() throws Exception {
    String pem = SimulatedNsm.open(home, CLOCK, IDENTITY).simulatedRootPem();
    Files.delete(home.resolve("simulated-nsm/root.pem"));

    SimulatedNsm again = SimulatedNsm.open(home, CLOCK, IDENTITY);

    assertThat(again.simulatedRootPem()).isEqualTo(pem);
    assertThat(Files.readString(home.resolve("simulated-nsm/root.pem"))).isEqualTo(pem);
  }

  @Test
  void open_homeIsAFile_isRefused() throws Exception {
    Files.writeString(home.resolve("simulated-nsm"), "x");

    assertThatThrownBy(() -> SimulatedNsm.open(home, CLOCK, IDENTITY))
        .isInstanceOf(NsmException.class)
        .hasMessageContaining("is not a directory");
  }

  @Test
  void simulatedRootPem_parsesToRootCertificate() throws Exception {
    SimulatedNsm nsm = SimulatedNsm.open(home, CLOCK, IDENTITY);

    List<X509Certificate> parsed =
        TrustAnchors.readPem(
            new ByteArrayInputStream(nsm.simulatedRootPem().getBytes(StandardCharsets.US_ASCII)));

    assertThat(parsed).containsExactly(nsm.rootCertificate());
  }

  @Test
  void attest_clockBeforeRootValidity_isRefused() throws Exception {
    SimulatedNsm nsm =
        SimulatedNsm.open(
            home, Clock.fixed(Instant.parse("2019-06-01T00:00:00Z"), ZoneOffset.UTC), IDENTITY);

    NsmException e =
        catchThrowableOfType(NsmException.class, () -> nsm.attest(AttestationRequest.empty()));

    assertThat(e)
        .hasMessage(
            "the clock says 2019-06-01T00:00:00Z, outside the simulated root's usable window"
                + " 2020-01-02T08:00:00Z .. 2049-12-12T01:00:00Z");
  }

  @Test
  void pcrs_areCopies() throws Exception {
    SimulatedNsm nsm = SimulatedNsm.open(home, CLOCK, IDENTITY);
    Map<Integer, byte[]> pcrs = nsm.pcrs();
    pcrs.get(0)[0] ^= 1;

    assertThat(nsm.pcrs().get(0)).isEqualTo(IDENTITY.pcrs().get(0));
  }

  @Test
  void pcrs_areThoseItsDocumentsCarry_asTheDevicesAreRead() throws Exception {
    SimulatedNsm nsm = SimulatedNsm.open(home, CLOCK, IDENTITY);

    Map<Integer, byte[]> read = AttestedPcrs.read(nsm);

    assertThat(nsm.pcrs()).hasSameSizeAs(read).hasSize(16);
    read.forEach((index, value) -> assertThat(nsm.pcrs().get(index)).isEqualTo(value));
  }

  @Test
  void process_rawRequest_answersLikeTheDevice() throws Exception {
    SimulatedNsm nsm = SimulatedNsm.open(home, CLOCK, IDENTITY);
    byte[] request =
        NsmCodec.encodeAttestationRequest(new AttestationRequest(null, new byte[] {1}, null));

    byte[] document = NsmCodec.decodeAttestationResponse(nsm.process(request));

    assertThat(
            verifier(CLOCK, nsm.rootCertificate())
                .verify(document)
                .requireVerified()
                .document()
                .nonce())
        .contains(Bytes.of(new byte[] {1}));
  }

  @Test
  void process_badRequests_giveErrorResponses() throws Exception {
    SimulatedNsm nsm = SimulatedNsm.open(home, CLOCK, IDENTITY);

    assertThat(nsm.process(new byte[] {(byte) 0xff}))
        .isEqualTo(NsmCodec.encodeErrorResponse(NsmErrorCode.INVALID_ARGUMENT));
    assertThat(nsm.process(new byte[NsmCodec.MAX_REQUEST_BYTES + 1]))
        .isEqualTo(NsmCodec.encodeErrorResponse(NsmErrorCode.INPUT_TOO_LARGE));
    assertThat(
            nsm.process(
                HexFormat.of()
                    .parseHex(
                        "6b"
                            + HexFormat.of()
                                .formatHex("DescribeNSM".getBytes(StandardCharsets.US_ASCII)))))
        .isEqualTo(NsmCodec.encodeErrorResponse(NsmErrorCode.INVALID_OPERATION));
  }
}
