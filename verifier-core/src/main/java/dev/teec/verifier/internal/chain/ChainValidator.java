package dev.teec.verifier.internal.chain;

import static dev.teec.verifier.CheckId.CHAIN_ALGORITHMS;
import static dev.teec.verifier.CheckId.CHAIN_BASIC_CONSTRAINTS;
import static dev.teec.verifier.CheckId.CHAIN_CRITICAL_EXTENSIONS;
import static dev.teec.verifier.CheckId.CHAIN_KEY_USAGE;
import static dev.teec.verifier.CheckId.CHAIN_LENGTH;
import static dev.teec.verifier.CheckId.CHAIN_NAMES;
import static dev.teec.verifier.CheckId.CHAIN_PARSE;
import static dev.teec.verifier.CheckId.CHAIN_PATH_LENGTH;
import static dev.teec.verifier.CheckId.CHAIN_ROOT_PINNED;
import static dev.teec.verifier.CheckId.CHAIN_SIGNATURES;
import static dev.teec.verifier.CheckId.CHAIN_VALIDITY;

import dev.teec.verifier.Bytes;
import dev.teec.verifier.CertificateInfo;
import dev.teec.verifier.TrustAnchors;
import dev.teec.verifier.internal.CheckRecorder;
import dev.teec.verifier.internal.ecdsa.P384Key;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Validates a document's certificate chain (SPEC.md V4 and V5) and records one check per rule. The
 * chain is {@code leaf -> cabundle[n-1] -> ... -> cabundle[0]}, and {@code cabundle[0]} must be a
 * pinned trust anchor.
 */
public final class ChainValidator {
  /** OID of ecdsa-with-SHA384, the only certificate signature algorithm accepted. */
  static final String ECDSA_WITH_SHA384 = "1.2.840.10045.4.3.3";

  /** Critical extensions this validator understands and enforces. */
  private static final Set<String> KNOWN_CRITICAL =
      Set.of(
          "2.5.29.19", // basicConstraints
          "2.5.29.15"); // keyUsage

  private static final int KEY_USAGE_DIGITAL_SIGNATURE = 0;
  private static final int KEY_USAGE_KEY_CERT_SIGN = 5;

  private final CertificateCache cache;
  private final int maxCabundle;

  public ChainValidator(CertificateCache cache, int maxCabundle) {
    this.cache = cache;
    this.maxCabundle = maxCabundle;
  }

  /** What chain validation produced for the rest of the verification. */
  public record Outcome(List<CertificateInfo> certificates, Optional<P384Key> leafKey) {}

  /**
   * Parses each anchor and checks its self-signature into the cache: the work the first {@link
   * #validate} would do for a cabundle rooted at that anchor. An anchor that fails either is left
   * out; {@link #validate} then reports it as usual.
   */
  public void warmUp(TrustAnchors anchors) {
    for (X509Certificate anchor : anchors.certificates()) {
      try {
        ParsedCertificate root = cache.parse(Bytes.of(anchor.getEncoded()));
        cache.signatureVerifies(root, root);
      } catch (CertificateException e) {
        // Not cached: validate parses and checks it again and fails with the reason.
      }
    }
  }

  /**
   * Runs every chain check. {@code at} may be null when T is unknown, in which case validity is
   * skipped.
   *
   * @return the parsed certificates (leaf first) and the leaf's key when it is usable for ES384
   */
  public Outcome validate(
      Bytes leafDer, List<Bytes> cabundle, TrustAnchors anchors, Instant at, CheckRecorder rec) {
    if (cabundle.size() > maxCabundle) {
      rec.fail(
          CHAIN_LENGTH,
          "cabundle has "
              + cabundle.size()
              + " certificates, more than the limit of "
              + maxCabundle
              + "; no signature was checked",
          "<= " + maxCabundle,
          String.valueOf(cabundle.size()));
      return new Outcome(List.of(), Optional.empty());
    }
    rec.pass(
        CHAIN_LENGTH, "chain of " + (cabundle.size() + 1) + " certificates is within the limit");

    // path[0] is the leaf, path[last] the root (cabundle[0]).
    List<Bytes> derPath = new ArrayList<>(cabundle.size() + 1);
    derPath.add(leafDer);
    for (int i = cabundle.size() - 1; i >= 0; i--) {
      derPath.add(cabundle.get(i));
    }
    List<ParsedCertificate> path = new ArrayList<>(derPath.size());
    for (int i = 0; i < derPath.size(); i++) {
      try {
        path.add(cache.parse(derPath.get(i)));
      } catch (CertificateException | RuntimeException e) {
        rec.fail(
            CHAIN_PARSE,
            name(i, derPath.size()) + " is not a valid DER X.509 certificate: " + e.getMessage());
        return new Outcome(List.of(), Optional.empty());
      }
    }
    rec.pass(CHAIN_PARSE, "all " + path.size() + " certificates parse as DER X.509");
    List<CertificateInfo> infos = new ArrayList<>(path.size());
    for (int i = 0; i < path.size(); i++) {
      ParsedCertificate c = path.get(i);
      infos.add(
          new CertificateInfo(
              role(i, path.size()),
              c.subjectName(),
              c.issuerName(),
              c.notBefore(),
              c.notAfter(),
              c.sha256()));
    }
    ParsedCertificate root = path.get(path.size() - 1);
    if (anchors.containsDer(root.der())) {
      rec.pass(CHAIN_ROOT_PINNED, "cabundle[0] is a pinned trust anchor", null, root.sha256());
    } else {
      rec.fail(
          CHAIN_ROOT_PINNED,
          "cabundle[0] (" + root.subjectName() + ") is not a pinned trust anchor",
          String.join(" or ", anchors.fingerprints()),
          root.sha256());
    }

    checkNames(path, rec);
    boolean algorithmsOk = checkAlgorithms(path, rec);
    checkBasicConstraints(path, rec);
    checkPathLength(path, rec);
    checkKeyUsage(path, rec);
    checkCriticalExtensions(path, rec);
    if (algorithmsOk) {
      checkSignatures(path, rec);
    } else {
      rec.skip(
          CHAIN_SIGNATURES,
          "not checked: a certificate uses a key or algorithm other than P-384/ECDSA-SHA384");
    }
    checkValidity(path, at, rec);

    return new Outcome(infos, path.get(0).p384Key());
  }

  private static void checkNames(List<ParsedCertificate> path, CheckRecorder rec) {
    for (int i = 0; i + 1 < path.size(); i++) {
      ParsedCertificate child = path.get(i);
      ParsedCertificate issuer = path.get(i + 1);
      if (!child.issuer().equals(issuer.subject())) {
        rec.fail(
            CHAIN_NAMES,
            name(i, path.size())
                + " names issuer '"
                + child.issuerName()
                + "' but the next certificate is '"
                + issuer.subjectName()
                + "'",
            child.issuerName(),
            issuer.subjectName());
        return;
      }
    }
    ParsedCertificate root = path.get(path.size() - 1);
    if (!root.issuer().equals(root.subject())) {
      rec.fail(CHAIN_NAMES, "the root certificate is not self-issued");
      return;
    }
    rec.pass(
        CHAIN_NAMES,
        "each certificate's issuer is the subject of the next, ending in a self-issued root");
  }

  private static boolean checkAlgorithms(List<ParsedCertificate> path, CheckRecorder rec) {
    for (int i = 0; i < path.size(); i++) {
      ParsedCertificate c = path.get(i);
      if (!ECDSA_WITH_SHA384.equals(c.signatureAlgorithmOid())) {
        String algorithm = c.certificate().getSigAlgName();
        rec.fail(
            CHAIN_ALGORITHMS,
            name(i, path.size()) + " is signed with " + algorithm + ", not ECDSA with SHA-384",
            "ecdsa-with-SHA384 (" + ECDSA_WITH_SHA384 + ")",
            algorithm + " (" + c.signatureAlgorithmOid() + ")");
        return false;
      }
      // A usable key, not just P-384 parameters: the point must lie on the curve, so that every
      // key that passes here can verify the signatures that depend on it.
      if (c.p384Key().isEmpty()) {
        String actual = describeKey(c.publicKey());
        rec.fail(
            CHAIN_ALGORITHMS,
            isP384(c.publicKey())
                ? name(i, path.size()) + " has an EC P-384 key whose point is not on the curve"
                : name(i, path.size()) + " has an " + actual + " key, not EC P-384",
            "EC P-384",
            actual);
        return false;
      }
    }
    rec.pass(CHAIN_ALGORITHMS, "every key is EC P-384 and every signature ECDSA with SHA-384");
    return true;
  }

  private static void checkBasicConstraints(List<ParsedCertificate> path, CheckRecorder rec) {
    if (path.get(0).basicConstraints() != -1) {
      rec.fail(
          CHAIN_BASIC_CONSTRAINTS,
          "the leaf certificate is marked as a CA",
          "cA absent or false",
          "cA true");
      return;
    }
    for (int i = 1; i < path.size(); i++) {
      if (path.get(i).basicConstraints() < 0) {
        rec.fail(
            CHAIN_BASIC_CONSTRAINTS,
            name(i, path.size()) + " issues certificates but is not marked as a CA",
            "basicConstraints cA true",
            "cA absent or false");
        return;
      }
    }
    rec.pass(CHAIN_BASIC_CONSTRAINTS, "issuers are CAs and the leaf is not");
  }

  private static void checkPathLength(List<ParsedCertificate> path, CheckRecorder rec) {
    // A CA at position j has j-1 intermediate CAs below it (the leaf is not counted).
    for (int j = 1; j < path.size(); j++) {
      int pathLen = path.get(j).basicConstraints();
      if (pathLen >= 0 && pathLen < j - 1) {
        rec.fail(
            CHAIN_PATH_LENGTH,
            name(j, path.size())
                + " allows "
                + pathLen
                + " CA certificates below it but has "
                + (j - 1),
            "<= " + pathLen,
            String.valueOf(j - 1));
        return;
      }
    }
    rec.pass(CHAIN_PATH_LENGTH, "no CA has more CAs below it than its pathLenConstraint allows");
  }

  private static void checkKeyUsage(List<ParsedCertificate> path, CheckRecorder rec) {
    ParsedCertificate leaf = path.get(0);
    if (!leaf.hasKeyUsage(KEY_USAGE_DIGITAL_SIGNATURE)) {
      rec.fail(
          CHAIN_KEY_USAGE,
          "the leaf certificate's keyUsage lacks digitalSignature",
          "digitalSignature",
          leaf.hasKeyUsageExtension() ? "digitalSignature not set" : "no keyUsage extension");
      return;
    }
    for (int i = 1; i < path.size(); i++) {
      ParsedCertificate ca = path.get(i);
      if (!ca.hasKeyUsage(KEY_USAGE_KEY_CERT_SIGN)) {
        rec.fail(
            CHAIN_KEY_USAGE,
            name(i, path.size()) + "'s keyUsage lacks keyCertSign",
            "keyCertSign",
            ca.hasKeyUsageExtension() ? "keyCertSign not set" : "no keyUsage extension");
        return;
      }
    }
    rec.pass(CHAIN_KEY_USAGE, "CAs may sign certificates and the leaf may sign documents");
  }

  private static void checkCriticalExtensions(List<ParsedCertificate> path, CheckRecorder rec) {
    for (int i = 0; i < path.size(); i++) {
      for (String oid : path.get(i).criticalExtensions()) {
        if (!KNOWN_CRITICAL.contains(oid)) {
          rec.fail(
              CHAIN_CRITICAL_EXTENSIONS,
              name(i, path.size())
                  + " has critical extension "
                  + oid
                  + ", which this verifier does not process",
              "only basicConstraints and keyUsage critical",
              oid);
          return;
        }
      }
    }
    rec.pass(CHAIN_CRITICAL_EXTENSIONS, "no unknown critical extensions");
  }

  private void checkSignatures(List<ParsedCertificate> path, CheckRecorder rec) {
    int last = path.size() - 1;
    for (int i = 0; i <= last; i++) {
      int issuer = Math.min(i + 1, last); // the root signs itself
      if (!cache.signatureVerifies(path.get(i), path.get(issuer))) {
        rec.fail(
            CHAIN_SIGNATURES,
            name(i, path.size())
                + "'s signature does not verify with the key of "
                + (issuer == i ? "itself" : "'" + path.get(issuer).subjectName() + "'"));
        return;
      }
    }
    rec.pass(CHAIN_SIGNATURES, "every certificate's signature verifies with its issuer's key");
  }

  private static void checkValidity(List<ParsedCertificate> path, Instant at, CheckRecorder rec) {
    if (at == null) {
      rec.skip(CHAIN_VALIDITY, "not checked: the verification time is unknown");
      return;
    }
    for (int i = 0; i < path.size(); i++) {
      ParsedCertificate c = path.get(i);
      Instant from = c.notBefore();
      Instant until = c.notAfter();
      if (at.isBefore(from) || at.isAfter(until)) {
        rec.fail(
            CHAIN_VALIDITY,
            name(i, path.size())
                + " ("
                + c.subjectName()
                + ") is "
                + (at.isBefore(from) ? "not yet valid" : "expired")
                + " at "
                + at,
            from + " .. " + until,
            at.toString());
        return;
      }
    }
    rec.pass(CHAIN_VALIDITY, "every certificate is valid at " + at);
  }

  /** True for an EC key whose domain parameters are exactly NIST P-384. */
  private static boolean isP384(PublicKey key) {
    return key instanceof ECPublicKey ec && P384Key.isP384(ec.getParams());
  }

  private static String describeKey(PublicKey key) {
    if (isP384(key)) {
      return "EC P-384, point not on the curve";
    }
    if (key instanceof ECPublicKey ec) {
      return "EC " + ec.getParams().getCurve().getField().getFieldSize() + "-bit";
    }
    return key.getAlgorithm() + " (not EC)";
  }

  private static String role(int i, int size) {
    return i == 0 ? "leaf" : i == size - 1 ? "root" : "intermediate";
  }

  private static String name(int i, int size) {
    if (i == 0) {
      return "the leaf certificate";
    }
    if (i == size - 1) {
      return "cabundle[0] (root)";
    }
    return "cabundle[" + (size - 1 - i) + "]";
  }
}
