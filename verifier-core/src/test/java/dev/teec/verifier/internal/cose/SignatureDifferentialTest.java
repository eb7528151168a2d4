package dev.teec.verifier.internal.cose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import COSE.Message;
import COSE.MessageTag;
import COSE.OneKey;
import COSE.Sign1Message;
import com.fasterxml.jackson.databind.JsonNode;
import dev.teec.verifier.AttestationDocument;
import dev.teec.verifier.Bytes;
import dev.teec.verifier.SharedVectors;
import dev.teec.verifier.internal.CheckRecorder;
import dev.teec.verifier.internal.ecdsa.P384Key;
import dev.teec.verifier.internal.payload.PayloadReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The COSE signature path (our Sig_structure, Bouncy Castle's ECDSA) against an independent one:
 * COSE-Java decoding the document and building its own Sig_structure, checked by the JDK's SunEC.
 * On every real document, every generated test vector, every bit flip of the signature of a few
 * documents and signatures with out-of-range or malleated scalars, both must reach the same
 * accept/reject verdict. {@code P384EcdsaDifferentialTest} does the same for the bare ECDSA
 * primitive, including the DER form of certificate signatures.
 */
class SignatureDifferentialTest {
  private static final BigInteger N =
      new BigInteger(
          "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973",
          16);

  /** Documents whose every signature bit is flipped: a real one and a generated one. */
  private static final List<String> FLIPPED = List.of("real/marlin-1.cbor", "valid-document");

  /** A document the signature path can be run on: its envelope and its leaf key. */
  private record Signed(
      String name,
      byte[] document,
      CoseSign1Reader.Envelope envelope,
      PublicKey leafKey,
      P384Key p384Key) {}

  @Test
  void everyDocument_bothPathsAgree() {
    List<Signed> signed = new ArrayList<>();
    for (Path file : documents()) {
      readSigned(file).ifPresent(signed::add);
    }
    // Every generated vector with a readable envelope and a P-384 leaf (40 today), and every real
    // and negative document of ../shared/vectors with a readable envelope when it is there (26).
    boolean shared = SharedVectors.DIR != null;
    assertThat(signed).hasSizeGreaterThanOrEqualTo(shared ? 60 : 35);
    int accepted = 0;
    for (Signed s : signed) {
      boolean ours = CoseSignatureVerifier.verifies(s.envelope(), s.p384Key());
      assertThat(ours).as(s.name()).isEqualTo(reference(s.document(), s.leafKey()));
      accepted += ours ? 1 : 0;
    }
    System.out.println(
        "SignatureDifferentialTest: " + accepted + " of " + signed.size() + " verify");
    assertThat(accepted).as("documents whose signature verifies").isGreaterThan(shared ? 30 : 5);
  }

  @Test
  void everySignatureBitFlip_bothPathsReject() {
    for (String name : flipped()) {
      Signed s = find(name);
      byte[] doc = s.document();
      int sigStart = doc.length - CoseSign1Reader.SIGNATURE_BYTES;
      assertThat(Arrays.copyOfRange(doc, sigStart, doc.length)).isEqualTo(s.envelope().signature());
      List<Integer> disagreeing =
          IntStream.range(0, CoseSign1Reader.SIGNATURE_BYTES * 8)
              .parallel()
              .filter(
                  bit -> {
                    byte[] mutated = doc.clone();
                    mutated[sigStart + bit / 8] ^= (byte) (1 << (bit % 8));
                    CoseSign1Reader.Envelope e = envelope(mutated).orElseThrow();
                    boolean ours = CoseSignatureVerifier.verifies(e, s.p384Key());
                    return ours || ours != reference(mutated, s.leafKey());
                  })
              .boxed()
              .toList();
      assertThat(disagreeing).as(name + ": bits accepted or judged differently").isEmpty();
    }
  }

  @Test
  void edgeCaseScalars_bothPathsAgree() {
    for (String name : flipped()) {
      Signed s = find(name);
      byte[] sig = s.envelope().signature();
      BigInteger r = new BigInteger(1, sig, 0, 48);
      BigInteger sv = new BigInteger(1, sig, 48, 48);
      BigInteger max = BigInteger.ONE.shiftLeft(384).subtract(BigInteger.ONE);
      List<BigInteger[]> cases =
          List.of(
              new BigInteger[] {r, sv},
              new BigInteger[] {r, N.subtract(sv)}, // high-s / low-s twin: valid
              new BigInteger[] {BigInteger.ZERO, sv},
              new BigInteger[] {r, BigInteger.ZERO},
              new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO},
              new BigInteger[] {N, sv},
              new BigInteger[] {r, N},
              new BigInteger[] {N.add(BigInteger.ONE), sv},
              new BigInteger[] {r, N.add(BigInteger.ONE)},
              new BigInteger[] {max, sv},
              new BigInteger[] {r, max},
              new BigInteger[] {BigInteger.ONE, BigInteger.ONE},
              new BigInteger[] {sv, r},
              new BigInteger[] {N.subtract(r), sv});
      for (int i = 0; i < cases.size(); i++) {
        byte[] mutated = withSignature(s.document(), cases.get(i)[0], cases.get(i)[1]);
        boolean ours = CoseSignatureVerifier.verifies(envelope(mutated).orElseThrow(), s.p384Key());
        assertThat(ours)
            .as(name + " case " + i)
            .isEqualTo(reference(mutated, s.leafKey()))
            .isEqualTo(i < 2);
      }
    }
  }

  /** {@link #FLIPPED}, without the real documents when ../shared/vectors is absent. */
  private static List<String> flipped() {
    return FLIPPED.stream()
        .filter(n -> SharedVectors.DIR != null || !n.startsWith("real/"))
        .toList();
  }

  /** COSE-Java's Sig_structure and the JCA's SHA384withECDSA (SunEC). */
  private static boolean reference(byte[] document, PublicKey leafKey) {
    try {
      Message m = Message.DecodeFromBytes(document, MessageTag.Sign1);
      return m instanceof Sign1Message sign1 && sign1.validate(new OneKey(leafKey, null));
    } catch (Exception e) {
      return false;
    }
  }

  private static byte[] withSignature(byte[] document, BigInteger r, BigInteger s) {
    byte[] out = document.clone();
    int start = out.length - 96;
    put(r, out, start);
    put(s, out, start + 48);
    return out;
  }

  private static void put(BigInteger v, byte[] out, int offset) {
    byte[] b = v.toByteArray();
    int skip = b.length > 48 ? b.length - 48 : 0;
    Arrays.fill(out, offset, offset + 48, (byte) 0);
    System.arraycopy(b, skip, out, offset + 48 - (b.length - skip), b.length - skip);
  }

  private static Signed find(String name) {
    Path file = name.startsWith("real/") ? sharedVector(name) : generatedVector(name);
    return readSigned(file).orElseThrow(() -> new AssertionError(name + " has no signature"));
  }

  /** The envelope and P-384 leaf key of {@code file}, when both can be read. */
  private static Optional<Signed> readSigned(Path file) {
    byte[] doc;
    try {
      doc = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Optional<CoseSign1Reader.Envelope> envelope = envelope(doc);
    if (envelope.isEmpty()) {
      return Optional.empty();
    }
    Optional<AttestationDocument> payload =
        PayloadReader.read(envelope.get().payload(), new CheckRecorder());
    return payload
        .flatMap(p -> leafKey(p.certificate()))
        .map(
            key ->
                new Signed(
                    file.toString(), doc, envelope.get(), key, P384Key.of(key).orElseThrow()));
  }

  private static Optional<CoseSign1Reader.Envelope> envelope(byte[] doc) {
    return CoseSign1Reader.read(doc, new CheckRecorder());
  }

  private static Optional<PublicKey> leafKey(Bytes der) {
    try {
      X509Certificate cert =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new ByteArrayInputStream(der.toByteArray()));
      return P384Key.of(cert.getPublicKey()).map(k -> cert.getPublicKey());
    } catch (CertificateException e) {
      return Optional.empty();
    }
  }

  /** Every real and negative shared document (when present) and every generated vector. */
  private static List<Path> documents() {
    List<Path> out = new ArrayList<>();
    if (SharedVectors.DIR != null) {
      for (String kind : List.of("real", "negative")) {
        for (JsonNode e : SharedVectors.manifestEntries(kind)) {
          out.add(SharedVectors.DIR.resolve(e.get("file").asText()));
        }
      }
    }
    try (Stream<Path> dirs = Files.list(generatedVectors())) {
      dirs.map(d -> d.resolve("document.cbor")).filter(Files::isRegularFile).forEach(out::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static Path sharedVector(String relative) {
    return SharedVectors.DIR.resolve(relative);
  }

  private static Path generatedVector(String scenario) {
    return generatedVectors().resolve(scenario).resolve("document.cbor");
  }

  /** test-vectors/vectors of this repository (the tests run in verifier-core/). */
  private static Path generatedVectors() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("test-vectors/vectors");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    assumeTrue(false, "test-vectors/vectors not found");
    throw new AssertionError();
  }
}
