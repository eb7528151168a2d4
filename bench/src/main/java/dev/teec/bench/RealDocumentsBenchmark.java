package dev.teec.bench;

import com.upokecenter.cbor.CBORObject;
import dev.teec.digest.Digests;
import dev.teec.verifier.AttestationVerifier;
import dev.teec.verifier.Check;
import dev.teec.verifier.Policy;
import dev.teec.verifier.VerificationOptions;
import dev.teec.verifier.VerificationResult;
import dev.teec.verifier.VerificationTime;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The library figure of issue 13: real AWS documents verified on one thread with the leaf
 * certificate cached, and, measured in the same run, the bare ES384 verifications it is built on.
 *
 * <p>Every benchmark takes the same {@value #DOCUMENTS} real documents in turn (all of {@code
 * teec.bench.realDir}, default {@value #REAL_DIR}) and reports per-document throughput:
 *
 * <ul>
 *   <li>{@code realDocumentsCached}: {@link AttestationVerifier#verify} with a warm verifier, T =
 *       the document's timestamp, debug-mode documents allowed. Every document has its own leaf, so
 *       the cache holds all of them and the COSE signature is the only public-key operation.
 *   <li>{@code realDocumentsCachedTwoThreads}: the same on two threads sharing one verifier; on an
 *       otherwise idle two-core machine its score over {@code realDocumentsCached}'s is the
 *       scaling, and on any machine its CPU-time figure ({@link CpuTimeProfiler}) shows what
 *       sharing the verifier and its cache costs.
 *   <li>{@code baselineJdkEs384}: the JDK's SunEC {@code SHA384withECDSAinP1363Format} over each
 *       document's Sig_structure with its leaf key: what the COSE check cost before.
 *   <li>{@code baselineBcReusedPoint}: Bouncy Castle's {@link ECDSASigner} on the custom secp384r1
 *       curve, SHA-384 included, with one key object per leaf reused across calls.
 *   <li>{@code baselineBcFreshPoint}: the same with the leaf's point decoded afresh for every call,
 *       so Bouncy Castle cannot reuse its precomputation.
 * </ul>
 *
 * <p>The setup verifies every document and every baseline signature, so a broken setup cannot
 * report fast but meaningless numbers.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RealDocumentsBenchmark {
  /** Relative to the repository root, where bench/README.md runs the benchmarks from. */
  static final String REAL_DIR = "../shared/vectors/real";

  /** The number of real documents the benchmarks expect; the setup checks it. */
  static final int DOCUMENTS = 23;

  private static final ECDomainParameters P384;

  static {
    X9ECParameters p = CustomNamedCurves.getByName("secp384r1");
    P384 = new ECDomainParameters(p.getCurve(), p.getG(), p.getN(), p.getH());
  }

  /** The directory of real documents: {@code teec.bench.realDir}, default {@value #REAL_DIR}. */
  static Path realDir() {
    return Path.of(System.getProperty("teec.bench.realDir", REAL_DIR));
  }

  /**
   * The {@code .cbor} files of {@link #realDir()}, sorted by name.
   *
   * @throws IllegalStateException if the directory cannot be listed
   */
  static List<Path> documentFiles() {
    Path dir = realDir();
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(p -> p.toString().endsWith(".cbor")).sorted().toList();
    } catch (IOException e) {
      throw new IllegalStateException(
          dir.toAbsolutePath()
              + " cannot be listed; set -Dteec.bench.realDir=DIR (with JMH: -jvmArgs"
              + " -Dteec.bench.realDir=DIR)",
          e);
    }
  }

  /** The real documents, a warm verifier, and each document's Sig_structure, signature and key. */
  @State(Scope.Benchmark)
  public static class Real {
    byte[][] documents;
    AttestationVerifier verifier;
    VerificationOptions options;
    byte[][] toBeSigned;
    BigInteger[] r;
    BigInteger[] s;
    byte[][] p1363;
    PublicKey[] jdkKeys;
    ECPublicKeyParameters[] bcKeys;

    @Setup(Level.Trial)
    public void setUp() throws IOException, GeneralSecurityException {
      List<Path> files = documentFiles();
      if (files.size() != DOCUMENTS) {
        throw new IllegalStateException(
            realDir() + " holds " + files.size() + " documents, expected " + DOCUMENTS);
      }
      int n = files.size();
      documents = new byte[n][];
      toBeSigned = new byte[n][];
      r = new BigInteger[n];
      s = new BigInteger[n];
      p1363 = new byte[n][];
      jdkKeys = new PublicKey[n];
      bcKeys = new ECPublicKeyParameters[n];
      // The clock feeds only the freshness bounds, which are off; T is each document's timestamp.
      verifier =
          AttestationVerifier.builder()
              .clock(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC))
              .build();
      options =
          VerificationOptions.builder()
              .time(VerificationTime.document())
              .policy(Policy.builder().allowDebug().build())
              .build();
      for (int i = 0; i < n; i++) {
        documents[i] = Files.readAllBytes(files.get(i));
        VerificationResult result = verifier.verify(documents[i], options);
        if (!result.verified()) {
          throw new IllegalStateException(
              files.get(i)
                  + " does not verify: "
                  + result.failedChecks().stream()
                      .map(Check::toString)
                      .collect(Collectors.joining("; ")));
        }
        CBORObject cose = CBORObject.DecodeFromBytes(documents[i]);
        cose = cose.isTagged() ? cose.UntagOne() : cose;
        byte[] payload = cose.get(2).GetByteString();
        toBeSigned[i] =
            CBORObject.NewArray()
                .Add("Signature1")
                .Add(cose.get(0).GetByteString())
                .Add(new byte[0])
                .Add(payload)
                .EncodeToBytes();
        p1363[i] = cose.get(3).GetByteString();
        r[i] = new BigInteger(1, p1363[i], 0, 48);
        s[i] = new BigInteger(1, p1363[i], 48, 48);
        byte[] leaf = CBORObject.DecodeFromBytes(payload).get("certificate").GetByteString();
        jdkKeys[i] =
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(leaf))
                .getPublicKey();
        bcKeys[i] = freshBcKey((ECPublicKey) jdkKeys[i]);
        if (!jdkVerify(i) || !bcVerify(bcKeys[i], i)) {
          throw new IllegalStateException(files.get(i) + ": a baseline signature does not verify");
        }
      }
    }

    boolean jdkVerify(int i) throws GeneralSecurityException {
      Signature v = Signature.getInstance("SHA384withECDSAinP1363Format");
      v.initVerify(jdkKeys[i]);
      v.update(toBeSigned[i]);
      return v.verify(p1363[i]);
    }

    boolean bcVerify(ECPublicKeyParameters key, int i) throws GeneralSecurityException {
      ECDSASigner signer = new ECDSASigner();
      signer.init(false, key);
      byte[] digest = Digests.sha384(toBeSigned[i]);
      return signer.verifySignature(digest, r[i], s[i]);
    }

    static ECPublicKeyParameters freshBcKey(ECPublicKey key) {
      return new ECPublicKeyParameters(
          P384.getCurve().validatePoint(key.getW().getAffineX(), key.getW().getAffineY()), P384);
    }
  }

  @Benchmark
  @OperationsPerInvocation(DOCUMENTS)
  public void realDocumentsCached(Real real, Blackhole bh) {
    for (byte[] d : real.documents) {
      bh.consume(real.verifier.verify(d, real.options));
    }
  }

  @Benchmark
  @Threads(2)
  @OperationsPerInvocation(DOCUMENTS)
  public void realDocumentsCachedTwoThreads(Real real, Blackhole bh) {
    for (byte[] d : real.documents) {
      bh.consume(real.verifier.verify(d, real.options));
    }
  }

  @Benchmark
  @OperationsPerInvocation(DOCUMENTS)
  public void baselineJdkEs384(Real real, Blackhole bh) throws GeneralSecurityException {
    for (int i = 0; i < DOCUMENTS; i++) {
      bh.consume(real.jdkVerify(i));
    }
  }

  @Benchmark
  @OperationsPerInvocation(DOCUMENTS)
  public void baselineBcReusedPoint(Real real, Blackhole bh) throws GeneralSecurityException {
    for (int i = 0; i < DOCUMENTS; i++) {
      bh.consume(real.bcVerify(real.bcKeys[i], i));
    }
  }

  @Benchmark
  @OperationsPerInvocation(DOCUMENTS)
  public void baselineBcFreshPoint(Real real, Blackhole bh) throws GeneralSecurityException {
    for (int i = 0; i < DOCUMENTS; i++) {
      bh.consume(real.bcVerify(Real.freshBcKey((ECPublicKey) real.jdkKeys[i]), i));
    }
  }
}
