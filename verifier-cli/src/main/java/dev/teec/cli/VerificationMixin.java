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
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * The options that decide how documents are verified: the time T, the trust anchors, and the
 * policy. Shared by every command that verifies documents, also outside this package: built in code
 * ({@link CommandModels}): add {@link #optionSpecs()} to the command.
 */
public final class VerificationMixin {
  private final OptionSpec emulated =
      CommandModels.flag("--emulated")
          .description(
              "Also accept the unsigned documents of QEMU's emulated NSM (teec build --mode emulated),"
                  + " in exactly their shape; they verify with an EMULATED warning and prove nothing"
                  + " about hardware. Never by default.")
          .build();

  private final OptionSpec at =
      OptionSpec.builder("--at")
          .paramLabel("WHEN")
          .defaultValue("now")
          .type(VerificationTime.class)
          .converters(new Converters.Time())
          .description(
              "When certificate validity is judged: 'now', 'document' (the document's own signed"
                  + " timestamp, for auditing old documents) or an ISO-8601 instant such as"
                  + " 2024-05-01T12:00:00Z. Default: ${DEFAULT-VALUE}.")
          .build();

  private final OptionSpec roots =
      CommandModels.repeatable(Path.class, "--root")
          .paramLabel("PEM")
          .description(
              "Trust the certificates in this PEM (or DER) file instead of the pinned AWS Nitro"
                  + " Enclaves root G1. Repeatable; any of the given roots is accepted.")
          .build();

  private final OptionSpec policyFile =
      OptionSpec.builder("--policy")
          .paramLabel("FILE")
          .type(Path.class)
          .description(
              "JSON policy (spec/verifier.md#V7). The --expect-* and --allow-* options add to it;"
                  + " pinning a value it already pins differently is an error.")
          .build();

  private final OptionSpec expectedPcrs =
      CommandModels.repeatable(PcrExpectation.class, "--expect-pcr")
          .paramLabel("N=HEX")
          .converters(new Converters.Pcr())
          .description("Require PCR N to have this value. Repeatable.")
          .build();

  private final OptionSpec allowDebug =
      CommandModels.flag("--allow-debug")
          .description(
              "Accept debug-mode enclaves (PCR0, PCR1, PCR2 all zero) with a warning. Their"
                  + " documents say nothing about the code that ran.")
          .build();

  private final OptionSpec allowNitroTpm =
      CommandModels.flag("--allow-nitro-tpm")
          .description(
              "Accept NitroTPM documents where an enclave's is expected, with a warning naming the"
                  + " kind. They chain to the same AWS root, but their PCRs measure an EC2"
                  + " instance's boot and their user_data is whatever that instance's root user"
                  + " chose.")
          .build();

  private final OptionSpec expectedUserData =
      hex("--expect-user-data", "Require the document's user_data to be exactly these bytes.");

  private final OptionSpec expectedNonce =
      hex("--expect-nonce", "Require the document's nonce to be exactly these bytes.");

  private final OptionSpec expectedPublicKey =
      hex("--expect-public-key", "Require the document's public_key to be exactly these bytes.");

  private final OptionSpec maxAge =
      duration(
          "--max-age",
          "Reject documents whose timestamp is older than this (ISO-8601, e.g. PT10M), measured"
              + " against the current time whatever --at says.");

  private final OptionSpec maxFutureSkew =
      duration(
          "--max-future-skew",
          "Reject documents whose timestamp lies further than this in the future (e.g. PT1M).");

  private final List<OptionSpec> options =
      List.of(
          emulated,
          at,
          roots,
          policyFile,
          expectedPcrs,
          allowDebug,
          allowNitroTpm,
          expectedUserData,
          expectedNonce,
          expectedPublicKey,
          maxAge,
          maxFutureSkew);

  private static OptionSpec hex(String name, String description) {
    return OptionSpec.builder(name)
        .paramLabel("HEX")
        .type(Bytes.class)
        .converters(new Converters.Hex())
        .description(description)
        .build();
  }

  private static OptionSpec duration(String name, String description) {
    return OptionSpec.builder(name)
        .paramLabel("DURATION")
        .type(Duration.class)
        .converters(new Converters.NonNegativeDuration())
        .description(description)
        .build();
  }

  /** The options, for one command ({@link CommandModels}). */
  public List<OptionSpec> optionSpecs() {
    return options;
  }

  /**
   * The per-document options: T, the merged policy and the freshness bounds.
   *
   * @throws ParameterException if the policy file cannot be read or conflicts with the options
   */
  public VerificationOptions options() {
    VerificationOptions.Builder b =
        VerificationOptions.builder().time(at.getValue()).policy(policy());
    Duration age = maxAge.getValue();
    if (age != null) {
      b.maxAge(age);
    }
    Duration skew = maxFutureSkew.getValue();
    if (skew != null) {
      b.maxFutureSkew(skew);
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
    TrustAnchors anchors = trustAnchors();
    if (!extraAnchors.isEmpty()) {
      List<X509Certificate> all = new ArrayList<>(anchors.certificates());
      all.addAll(extraAnchors);
      anchors = TrustAnchors.of(all);
    }
    AttestationVerifier.Builder b =
        AttestationVerifier.builder().clock(clock).trustAnchors(anchors);
    if (emulated()) {
      b.acceptEmulated();
    }
    return b.build();
  }

  /** Whether --emulated was given: QEMU's unsigned documents are accepted too. */
  public boolean emulated() {
    return CommandModels.isSet(emulated);
  }

  /**
   * The roots documents must chain to: the --root certificates, or the pinned AWS root without any.
   *
   * @throws ParameterException if a --root file cannot be read or holds no certificate
   */
  public TrustAnchors trustAnchors() {
    return CommandModels.values(roots).isEmpty()
        ? TrustAnchors.awsNitroEnclavesRootG1()
        : TrustAnchors.of(readRoots());
  }

  private List<X509Certificate> readRoots() {
    List<X509Certificate> certs = new ArrayList<>();
    for (Path root : CommandModels.<Path>values(roots)) {
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
    Path file = policyFile.getValue();
    Policy base = file == null ? Policy.DEFAULT : readPolicy(file);
    Policy.Builder b = base.toBuilder();
    SortedMap<Integer, Bytes> pinned = new TreeMap<>(base.expectedPcrs());
    for (PcrExpectation pcr : CommandModels.<PcrExpectation>values(expectedPcrs)) {
      Bytes previous = pinned.putIfAbsent(pcr.index(), pcr.value());
      if (previous != null && !previous.equals(pcr.value())) {
        String origin =
            base.expectedPcrs().containsKey(pcr.index())
                ? "the value in --policy " + file
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
    if (CommandModels.isSet(allowDebug)) {
      b.allowDebug();
    }
    if (CommandModels.isSet(allowNitroTpm)) {
      b.allowNitroTpm();
    }
    expected(expectedUserData, "userData", base.expectedUserData(), file)
        .ifPresent(b::expectUserData);
    expected(expectedNonce, "nonce", base.expectedNonce(), file).ifPresent(b::expectNonce);
    expected(expectedPublicKey, "publicKey", base.expectedPublicKey(), file)
        .ifPresent(b::expectPublicKey);
    return b.build();
  }

  /** The value of an --expect-* option, unless the policy file pins a different one. */
  private Optional<Bytes> expected(
      OptionSpec option, String policyKey, Optional<Bytes> fromPolicy, Path file) {
    Bytes value = option.getValue();
    if (value != null && fromPolicy.isPresent() && !fromPolicy.get().equals(value)) {
      throw usage(
          option.longestName()
              + " "
              + value.hex()
              + " conflicts with "
              + policyKey
              + " "
              + fromPolicy.get().hex()
              + " in --policy "
              + file);
    }
    return Optional.ofNullable(value);
  }

  private Policy readPolicy(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return Policy.fromJson(in);
    } catch (PolicyFormatException e) {
      throw usage("--policy " + file + ": " + e.getMessage());
    } catch (IOException e) {
      throw usage("--policy " + file + ": " + CliSupport.describe(e));
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(CommandModels.mixee(at).commandLine(), message);
  }
}
