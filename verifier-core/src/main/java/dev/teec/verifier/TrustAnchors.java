package dev.teec.verifier;

import dev.teec.digest.Digests;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The root certificates a document's chain must end in. A document's {@code cabundle[0]} is
 * accepted only when it is byte-for-byte (DER) equal to one of these; the document never chooses
 * its own root.
 *
 * <p>{@link #awsNitroEnclavesRootG1()} is the default. Replace it only deliberately, for example
 * with a test or simulated root via {@link #of(Collection)}.
 */
public final class TrustAnchors {
  /** SHA-256 of the DER of the AWS Nitro Enclaves Root G1 certificate, as published by AWS. */
  public static final String AWS_NITRO_ROOT_G1_SHA256 =
      "641a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b";

  private static final String AWS_ROOT_RESOURCE = "aws-nitro-enclaves-root-g1.pem";

  private final Map<String, X509Certificate> bySha256;
  private final Set<Bytes> ders;

  private TrustAnchors(List<X509Certificate> roots) {
    if (roots.isEmpty()) {
      throw new IllegalArgumentException("at least one trust anchor is required");
    }
    this.bySha256 =
        roots.stream()
            .collect(
                Collectors.toUnmodifiableMap(
                    TrustAnchors::sha256Hex, Function.identity(), (a, b) -> a));
    this.ders = roots.stream().map(TrustAnchors::der).collect(Collectors.toUnmodifiableSet());
  }

  /**
   * The pinned AWS Nitro Enclaves Root G1, loaded from this jar and checked against {@link
   * #AWS_NITRO_ROOT_G1_SHA256}.
   */
  public static TrustAnchors awsNitroEnclavesRootG1() {
    try (InputStream in = TrustAnchors.class.getResourceAsStream(AWS_ROOT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + AWS_ROOT_RESOURCE + " missing from the jar");
      }
      List<X509Certificate> certs = readPem(in);
      if (certs.size() != 1 || !sha256Hex(certs.get(0)).equals(AWS_NITRO_ROOT_G1_SHA256)) {
        throw new IllegalStateException("bundled AWS root does not match its pinned fingerprint");
      }
      return new TrustAnchors(certs);
    } catch (IOException | CertificateException e) {
      throw new IllegalStateException("cannot load the bundled AWS root", e);
    }
  }

  /**
   * Exactly these roots, replacing the AWS root.
   *
   * @throws IllegalArgumentException if {@code roots} is empty
   */
  public static TrustAnchors of(Collection<X509Certificate> roots) {
    return new TrustAnchors(List.copyOf(roots));
  }

  /**
   * Reads every certificate of a PEM (or DER) stream.
   *
   * @throws CertificateException if the stream holds no certificate or a malformed one
   */
  public static List<X509Certificate> readPem(InputStream in)
      throws IOException, CertificateException {
    byte[] data = in.readAllBytes();
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    List<X509Certificate> out = new ArrayList<>();
    for (var c : cf.generateCertificates(new ByteArrayInputStream(data))) {
      out.add((X509Certificate) c);
    }
    if (out.isEmpty()) {
      throw new CertificateException("no certificate found");
    }
    return out;
  }

  /** True when {@code der} is exactly the DER encoding of one of the anchors. */
  public boolean containsDer(byte[] der) {
    return containsDer(Bytes.of(der));
  }

  /** True when {@code der} is exactly the DER encoding of one of the anchors. */
  public boolean containsDer(Bytes der) {
    return ders.contains(der);
  }

  /** Lowercase hex SHA-256 fingerprints of the anchors' DER, sorted. */
  public List<String> fingerprints() {
    return bySha256.keySet().stream().sorted().toList();
  }

  /** The anchors, in fingerprint order. */
  public List<X509Certificate> certificates() {
    return fingerprints().stream().map(bySha256::get).toList();
  }

  private static String sha256Hex(X509Certificate cert) {
    return Digests.sha256Hex(der(cert).toByteArray());
  }

  private static Bytes der(X509Certificate cert) {
    try {
      return Bytes.of(cert.getEncoded());
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalArgumentException("certificate cannot be encoded", e);
    }
  }
}
