package dev.teec.cli;

import dev.teec.verifier.AttestationVerifier;
import dev.teec.verifier.Bytes;
import dev.teec.verifier.Policy;
import dev.teec.verifier.PolicyFormatException;
import dev.teec.verifier.TrustAnchors;
import dev.teec.verifier.VerificationOptions;
import dev.teec.verifier.VerificationTime;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options that decide how documents are verified: the time T, the trust anchors, and the
 * policy. Shared by every command that verifies documents, also outside this package.
 */
public final class VerificationMixin {
  @Spec(Spec.Target.MIXEE)
  private CommandSpec mixee;

  @Option(
      names = "--emulated",
      description = {
        "Also accept the unsigned documents of QEMU's emulated NSM (teec build --mode emulated),"
            + " in exactly their shape; they verify with an EMULATED warning and prove nothing"
            + " about hardware. Never by default."
      })
  private boolean emulated;

  @Option(
      names = "--at",
      paramLabel = "WHEN",
      defaultValue = "now",
      converter = Converters.Time.class,
      description = {
        "When certificate validity is judged: 'now', 'document' (the document's own signed"
            + " timestamp, for auditing old documents) or an ISO-8601 instant such as"
            + " 2024-05-01T12:00:00Z. Default: ${DEFAULT-VALUE}."
      })
  private VerificationTime at;

  @Option(
      names = "--root",
      paramLabel = "PEM",
      description = {
        "Trust the certificates in this PEM (or DER) file instead of the pinned AWS Nitro Enclaves"
            + " root G1. Repeatable; any of the given roots is accepted."
      })
  private List<Path> roots = new ArrayList<>();

  @Option(
      names = "--policy",
      paramLabel = "FILE",
      description = {
        "JSON policy (spec/verifier.md#V7). The --expect-* and --allow-* options add to it;"
            + " pinning a value it already pins differently is an error."
      })
  private Path policyFile;

  @Option(
      names = "--expect-pcr",
      paramLabel = "N=HEX",
      converter = Converters.Pcr.class,
      description = "Require PCR N to have this value. Repeatable.")
  private List<PcrExpectation> expectedPcrs = new ArrayList<>();

  @Option(
      names = "--allow-debug",
      description = {
        "Accept debug-mode enclaves (PCR0, PCR1, PCR2 all zero) with a warning. Their documents"
            + " say nothing about the code that ran."
      })
  private boolean allowDebug;

  @Option(
      names = "--allow-nitro-tpm",
      description = {
        "Accept NitroTPM documents where an enclave's is expected, with a warning naming the kind."
            + " They chain to the same AWS root, but their PCRs measure an EC2 instance's boot and"
            + " their user_data is whatever that instance's root user chose."
      })
  private boolean allowNitroTpm;

  @Option(
      names = "--expect-user-data",
      paramLabel = "HEX",
      converter = Converters.Hex.class,
      description = "Require the document's user_data to be exactly these bytes.")
  private Bytes expectedUserData;

  @Option(
      names = "--expect-nonce",
      paramLabel = "HEX",
      converter = Converters.Hex.class,
      description = "Require the document's nonce to be exactly these bytes.")
  private Bytes expectedNonce;

  @Option(
      names = "--expect-public-key",
      paramLabel = "HEX",
      converter = Converters.Hex.class,
      description = "Require the document's public_key to be exactly these bytes.")
  private Bytes expectedPublicKey;

  @Option(
      names = "--max-age",
      paramLabel = "DURATION",
      converter = Converters.NonNegativeDuration.class,
      description = {
        "Reject documents whose timestamp is older than this (ISO-8601, e.g. PT10M), measured"
            + " against the current time whatever --at says."
      })
  private Duration maxAge;

  @Option(
      names = "--max-future-skew",
      paramLabel = "DURATION",
      converter = Converters.NonNegativeDuration.class,
      description =
          "Reject documents whose timestamp lies further than this in the future (e.g. PT1M).")
  private Duration maxFutureSkew;

  /**
   * The per-document options: T, the merged policy and the freshness bounds.
   *
   * @throws ParameterException if the policy file cannot be read or conflicts with the options
   */
  public VerificationOptions options() {
    VerificationOptions.Builder b = VerificationOptions.builder().time(at).policy(policy());
    if (maxAge != null) {
      b.maxAge(maxAge);
    }
    if (maxFutureSkew != null) {
      b.maxFutureSkew(maxFutureSkew);
    }
    return b.build();
  }

  /**
   * A verifier for these options that trusts {@link #trustAnchors()} plus {@code extraAnchors}.
   *
   * @param extraAnchors further roots the caller was told to trust (for example a registry's)
   * @throws ParameterException if a --root file cannot be read or holds no certificate
   */
  AttestationVerifier verifier(Clock clock, List<X509Certificate> extraAnchors) {
    List<X509Certificate> anchors = new ArrayList<>(trustAnchors().certificates());
    anchors.addAll(extraAnchors);
    AttestationVerifier.Builder b =
        AttestationVerifier.builder().clock(clock).trustAnchors(TrustAnchors.of(anchors));
    if (emulated) {
      b.acceptEmulated();
    }
    return b.build();
  }

  /** Whether --emulated was given: QEMU's unsigned documents are accepted too. */
  public boolean emulated() {
    return emulated;
  }

  /**
   * The roots documents must chain to: the --root certificates, or the pinned AWS root without any.
   *
   * @throws ParameterException if a --root file cannot be read or holds no certificate
   */
  public TrustAnchors trustAnchors() {
    return roots.isEmpty() ? TrustAnchors.awsNitroEnclavesRootG1() : TrustAnchors.of(readRoots());
  }

  private List<X509Certificate> readRoots() {
    List<X509Certificate> certs = new ArrayList<>();
    for (Path root : roots) {
      try (InputStream in = Files.newInputStream(root)) {
        certs.addAll(TrustAnchors.readPem(in));
      } catch (CertificateException e) {
        throw usage("--root " + root + ": not a PEM or DER certificate (" + e.getMessage() + ")");
      } catch (IOException e) {
        throw usage("--root " + root + ": " + CliSupport.describe(e));
      }
    }
    return certs;
  }

  private Policy policy() {
    Policy base = policyFile == null ? Policy.DEFAULT : readPolicy();
    Policy.Builder b = base.toBuilder();
    SortedMap<Integer, Bytes> pinned = new TreeMap<>(base.expectedPcrs());
    for (PcrExpectation pcr : expectedPcrs) {
      Bytes previous = pinned.putIfAbsent(pcr.index(), pcr.value());
      if (previous != null && !previous.equals(pcr.value())) {
        String origin =
            base.expectedPcrs().containsKey(pcr.index())
                ? "the value in --policy " + policyFile
                : "another --expect-pcr";
        throw usage(
            "--expect-pcr "
                + pcr.index()
                + "="
                + pcr.value().hex()
                + " conflicts with "
                + origin
                + ": PCR"
                + pcr.index()
                + "="
                + previous.hex());
      }
      b.expectPcr(pcr.index(), pcr.value());
    }
    if (allowDebug) {
      b.allowDebug();
    }
    if (allowNitroTpm) {
      b.allowNitroTpm();
    }
    if (expectedUserData != null) {
      b.expectUserData(
          unlessConflicting(
              "--expect-user-data", "userData", base.expectedUserData(), expectedUserData));
    }
    if (expectedNonce != null) {
      b.expectNonce(
          unlessConflicting("--expect-nonce", "nonce", base.expectedNonce(), expectedNonce));
    }
    if (expectedPublicKey != null) {
      b.expectPublicKey(
          unlessConflicting(
              "--expect-public-key", "publicKey", base.expectedPublicKey(), expectedPublicKey));
    }
    return b.build();
  }

  private Bytes unlessConflicting(
      String option, String policyKey, Optional<Bytes> fromPolicy, Bytes value) {
    if (fromPolicy.isPresent() && !fromPolicy.get().equals(value)) {
      throw usage(
          option
              + " "
              + value.hex()
              + " conflicts with "
              + policyKey
              + " "
              + fromPolicy.get().hex()
              + " in --policy "
              + policyFile);
    }
    return value;
  }

  private Policy readPolicy() {
    try (InputStream in = Files.newInputStream(policyFile)) {
      return Policy.fromJson(in);
    } catch (PolicyFormatException e) {
      throw usage("--policy " + policyFile + ": " + e.getMessage());
    } catch (IOException e) {
      throw usage("--policy " + policyFile + ": " + CliSupport.describe(e));
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(mixee.commandLine(), message);
  }
}
