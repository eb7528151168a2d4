package dev.teec.bench;

import dev.teec.digest.Digests;
import dev.teec.generator.DocumentSigner;
import dev.teec.generator.DocumentSpec;
import dev.teec.generator.SimulatedChain;
import dev.teec.verifier.AttestationVerifier;
import dev.teec.verifier.Check;
import dev.teec.verifier.TrustAnchors;
import dev.teec.verifier.VerificationOptions;
import dev.teec.verifier.VerificationResult;
import dev.teec.verifier.VerificationTime;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of {@link AttestationVerifier#verify}, in verified documents per second.
 *
 * <ul>
 *   <li>{@code simulatedSingleCached}: one document over and over with a warm verifier, so every
 *       certificate and certificate signature comes from the cache.
 *   <li>{@code simulatedBatchCached}: {@value #BATCH} distinct documents (different user_data,
 *       nonce and timestamp, so every COSE signature differs) sharing one simulated chain, warm
 *       verifier.
 *   <li>{@code simulatedBatchCold}: the same batch with {@code cacheEntries(0)}: every certificate
 *       is parsed and every chain signature re-verified for every document.
 *   <li>{@code realSingleCached}/{@code realSingleCold}: a real AWS document (veracruz-go-1), read
 *       at run time from {@code teec.bench.realDocument} (default {@value #REAL_DOCUMENT}), with
 *       the pinned AWS root and T = the document's timestamp.
 * </ul>
 *
 * <p>Every setup verifies its documents and throws if any fails, so a broken setup can never report
 * fast but meaningless numbers. Batch benchmarks report per-document throughput ({@link
 * OperationsPerInvocation}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class VerifierBenchmark {
  static final int BATCH = 64;

  /** Relative to the repository root, where the README runs the benchmarks from. */
  static final String REAL_DOCUMENT = "../shared/vectors/real/veracruz-go-1.cbor";

  /** Seed and instant of the simulated chain; the verifier clock is fixed at the same instant. */
  static final String SEED = "teec-bench-v1";

  static final Instant BASE = Instant.parse("2025-06-01T12:00:00Z");

  private static final VerificationOptions AT_DOCUMENT =
      VerificationOptions.builder().time(VerificationTime.document()).build();

  /** A simulated AWS-shaped chain and {@value #BATCH} distinct documents signed by its leaf. */
  @State(Scope.Benchmark)
  public static class Simulated {
    byte[][] documents;
    AttestationVerifier cached;
    AttestationVerifier cold;

    @Setup(Level.Trial)
    public void setUp() throws IOException, GeneralSecurityException {
      SimulatedChain chain = SimulatedChain.generate(SEED, BASE);
      TrustAnchors anchors = anchors(chain.rootPem());
      Map<Integer, byte[]> pcrs = new LinkedHashMap<>();
      for (int i = 0; i < 16; i++) {
        // PCR0-2 non-zero (not a debug-mode enclave), the rest zero as on real enclaves.
        pcrs.put(i, i <= 2 ? sha384("pcr" + i) : new byte[48]);
      }
      documents = new byte[BATCH][];
      for (int i = 0; i < BATCH; i++) {
        // Documents are made within the leaf's validity: base minus i seconds.
        DocumentSpec spec =
            DocumentSpec.builder(chain.moduleId(), BASE.minusSeconds(i), pcrs)
                .userData(sha384("user_data " + i))
                .nonce(Arrays.copyOf(sha384("nonce " + i), 32))
                .build();
        documents[i] = DocumentSigner.sign(chain, spec);
      }
      Clock clock = Clock.fixed(BASE, ZoneOffset.UTC);
      cached = AttestationVerifier.builder().clock(clock).trustAnchors(anchors).build();
      cold =
          AttestationVerifier.builder().clock(clock).trustAnchors(anchors).cacheEntries(0).build();
      Set<String> signatures = new HashSet<>();
      for (byte[] d : documents) {
        requireVerified(cached, d, "simulated");
        requireVerified(cold, d, "simulated");
        // The last 96 bytes are the ES384 signature; every document must have its own.
        signatures.add(Arrays.toString(Arrays.copyOfRange(d, d.length - 96, d.length)));
      }
      if (signatures.size() != BATCH) {
        throw new IllegalStateException(
            "expected " + BATCH + " distinct signatures, got " + signatures.size());
      }
    }
  }

  /** The real veracruz-go-1 document, verified against the pinned AWS root at its own timestamp. */
  @State(Scope.Benchmark)
  public static class Real {
    byte[] document;
    AttestationVerifier cached;
    AttestationVerifier cold;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      Path path = Path.of(System.getProperty("teec.bench.realDocument", REAL_DOCUMENT));
      if (!Files.isRegularFile(path)) {
        throw new IllegalStateException(
            path
                + " does not exist; run without the real* benchmarks"
                + " (e.g. add the regexp 'simulated') or pass -jvmArgs -Dteec.bench.realDocument=FILE");
      }
      document = Files.readAllBytes(path);
      // The clock only feeds freshness checks, which are off; T is the document's timestamp.
      Clock clock = Clock.fixed(Instant.parse("2022-11-09T22:52:00.696Z"), ZoneOffset.UTC);
      cached = AttestationVerifier.builder().clock(clock).build();
      cold = AttestationVerifier.builder().clock(clock).cacheEntries(0).build();
      requireVerified(cached, document, path.toString());
      requireVerified(cold, document, path.toString());
    }
  }

  /**
   * Baseline: one bare JDK SHA384withECDSA (P-384) verification over a message as long as a
   * simulated document, the floor under any full verification.
   */
  @State(Scope.Benchmark)
  public static class Es384 {
    byte[] message;
    byte[] signature;
    java.security.PublicKey key;

    @Setup(Level.Trial)
    public void setUp(Simulated s) throws GeneralSecurityException {
      java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
      g.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
      java.security.KeyPair pair = g.generateKeyPair();
      message = s.documents[0].clone();
      java.security.Signature signer = java.security.Signature.getInstance("SHA384withECDSA");
      signer.initSign(pair.getPrivate());
      signer.update(message);
      signature = signer.sign();
      key = pair.getPublic();
      if (!verify()) {
        throw new IllegalStateException("baseline signature does not verify");
      }
    }

    boolean verify() throws GeneralSecurityException {
      java.security.Signature v = java.security.Signature.getInstance("SHA384withECDSA");
      v.initVerify(key);
      v.update(message);
      return v.verify(signature);
    }
  }

  @Benchmark
  public boolean baselineEs384Verify(Es384 e) throws GeneralSecurityException {
    return e.verify();
  }

  @Benchmark
  public VerificationResult simulatedSingleCached(Simulated s) {
    return s.cached.verify(s.documents[0], AT_DOCUMENT);
  }

  @Benchmark
  public VerificationResult simulatedSingleCold(Simulated s) {
    return s.cold.verify(s.documents[0], AT_DOCUMENT);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void simulatedBatchCached(Simulated s, Blackhole bh) {
    for (byte[] d : s.documents) {
      bh.consume(s.cached.verify(d, AT_DOCUMENT));
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void simulatedBatchCold(Simulated s, Blackhole bh) {
    for (byte[] d : s.documents) {
      bh.consume(s.cold.verify(d, AT_DOCUMENT));
    }
  }

  @Benchmark
  public VerificationResult realSingleCached(Real r) {
    return r.cached.verify(r.document, AT_DOCUMENT);
  }

  @Benchmark
  public VerificationResult realSingleCold(Real r) {
    return r.cold.verify(r.document, AT_DOCUMENT);
  }

  static void requireVerified(AttestationVerifier verifier, byte[] document, String what) {
    VerificationResult r = verifier.verify(document, AT_DOCUMENT);
    if (!r.verified()) {
      throw new IllegalStateException(
          what
              + " document does not verify, so its timing would mean nothing: "
              + r.failedChecks().stream().map(Check::toString).collect(Collectors.joining("; ")));
    }
  }

  static TrustAnchors anchors(String pem) throws IOException {
    try {
      List<X509Certificate> roots =
          TrustAnchors.readPem(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      return TrustAnchors.of(roots);
    } catch (java.security.cert.CertificateException e) {
      throw new IOException("simulated root does not parse", e);
    }
  }

  static byte[] sha384(String s) {
    return Digests.sha384(s.getBytes(StandardCharsets.UTF_8));
  }
}
