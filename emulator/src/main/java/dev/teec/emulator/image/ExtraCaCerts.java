package dev.teec.emulator.image;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.teec.digest.Digests;
import dev.teec.encoding.Pem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;

/**
 * CA certificates an image trusts for upstream TLS beyond Debian's bundle, e.g. a TLS-intercepting
 * egress's own CA. This widens what the enclave's recording proxy accepts as the origin of a
 * download, so it is never the default: an image holding them is another image (other PCR0 and
 * PCR2), and whoever makes one lists them ({@link #certificates()}).
 *
 * @param certificates the certificates, each once, in the order first read
 */
public record ExtraCaCerts(List<Certificate> certificates) {
  /** No extra certificates: the image trusts Debian's bundle only. */
  public static final ExtraCaCerts NONE = new ExtraCaCerts(List.of());

  private static final String BEGIN = "-----BEGIN ";
  private static final String END = "-----END ";
  private static final String DASHES = "-----";

  /**
   * One certificate.
   *
   * @param sha256 SHA-256 of its DER encoding, lower-case hex (the usual fingerprint)
   * @param subject its subject, RFC 2253
   * @param der its DER encoding
   */
  public record Certificate(String sha256, String subject, byte[] der) {
    public Certificate {
      Objects.requireNonNull(sha256, "sha256");
      Objects.requireNonNull(subject, "subject");
      der = der.clone();
    }

    @Override
    public byte[] der() {
      return der.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Certificate c && Arrays.equals(der, c.der);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(der);
    }

    @Override
    public String toString() {
      return "Certificate[sha256=" + sha256 + ", subject=" + subject + "]";
    }
  }

  public ExtraCaCerts {
    certificates = List.copyOf(certificates);
  }

  /**
   * Reads PEM files: every {@code CERTIFICATE} block of each, in order; text between blocks is
   * ignored (bundles carry comments), a certificate read twice is kept once.
   *
   * @throws IOException naming the file and line when a file cannot be read, holds a block of
   *     another kind (a key, say), a block that is not one well-formed X.509 certificate, or no
   *     certificate at all
   */
  public static ExtraCaCerts read(List<Path> files) throws IOException {
    Map<String, Certificate> read = new LinkedHashMap<>();
    for (Path file : files) {
      List<Certificate> inFile = readFile(file);
      if (inFile.isEmpty()) {
        throw new IOException(file + ": holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
      }
      inFile.forEach(c -> read.putIfAbsent(c.sha256(), c));
    }
    return new ExtraCaCerts(new ArrayList<>(read.values()));
  }

  /** Whether there are none. */
  public boolean isEmpty() {
    return certificates.isEmpty();
  }

  /**
   * The certificates as the image holds them: each as PEM re-encoded from its DER (base64 lines of
   * 64 characters, LF line ends), so only the certificates, not how a file wrote them, make the
   * image.
   */
  public byte[] pem() {
    StringBuilder s = new StringBuilder();
    for (Certificate c : certificates) {
      s.append(Pem.certificate(c.der));
    }
    return s.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** {@code [{"sha256": hex, "subject": RFC 2253}, ...]}: how outputs list the certificates. */
  public ArrayNode toJson() {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    for (Certificate c : certificates) {
      array.addObject().put("sha256", c.sha256()).put("subject", c.subject());
    }
    return array;
  }

  private static List<Certificate> readFile(Path file) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (java.nio.charset.MalformedInputException e) {
      throw new IOException(file + ": not a PEM file (not UTF-8 text)", e);
    }
    List<Certificate> out = new ArrayList<>();
    StringBuilder body = null;
    int begun = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      int number = i + 1;
      if (body == null) {
        if (line.startsWith(BEGIN)) {
          String label = label(line, BEGIN);
          if (!"CERTIFICATE".equals(label)) {
            throw new IOException(
                file
                    + " line "
                    + number
                    + ": a "
                    + (label == null ? "malformed" : label)
                    + " block; only CERTIFICATE blocks are read");
          }
          body = new StringBuilder();
          begun = number;
        } else if (line.startsWith(END)) {
          throw new IOException(file + " line " + number + ": an END line without a BEGIN line");
        }
      } else if (line.startsWith(END)) {
        if (!"CERTIFICATE".equals(label(line, END))) {
          throw new IOException(
              file + " line " + number + ": expected -----END CERTIFICATE-----, found " + line);
        }
        out.add(certificate(file, begun, body.toString()));
        body = null;
      } else if (line.startsWith(BEGIN)) {
        throw new IOException(
            file + " line " + number + ": the block begun on line " + begun + " has no END line");
      } else {
        body.append(line);
      }
    }
    if (body != null) {
      throw new IOException(
          file
              + " line "
              + begun
              + ": the CERTIFICATE block has no -----END CERTIFICATE----- line");
    }
    return out;
  }

  private static String label(String line, String prefix) {
    if (!line.endsWith(DASHES) || line.length() < prefix.length() + DASHES.length()) {
      return null;
    }
    return line.substring(prefix.length(), line.length() - DASHES.length());
  }

  private static Certificate certificate(Path file, int line, String base64) throws IOException {
    String where = file + " line " + line;
    byte[] der;
    try {
      der = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IOException(where + ": the certificate is not valid base64: " + e.getMessage(), e);
    }
    X509Certificate x509;
    try {
      x509 =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new ByteArrayInputStream(der));
      if (!Arrays.equals(x509.getEncoded(), der)) {
        throw new CertificateException("bytes follow the certificate's DER encoding");
      }
    } catch (CertificateException e) {
      throw new IOException(where + ": not an X.509 certificate: " + e.getMessage(), e);
    }
    String sha256 = Digests.sha256Hex(der);
    return new Certificate(
        sha256, x509.getSubjectX500Principal().getName(X500Principal.RFC2253), der);
  }
}
