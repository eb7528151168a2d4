package dev.teec.cli.image;

import dev.teec.cli.CliSupport;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Reads the EIF signing certificate and key, as nitro-cli takes them (PEM files). */
final class SigningInputs {
  private SigningInputs() {}

  static X509Certificate certificate(CommandSpec spec, Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      X509Certificate cert =
          (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      if (cert == null) {
        throw new CertificateException("no certificate");
      }
      return cert;
    } catch (CertificateException e) {
      throw new ParameterException(
          spec.commandLine(),
          "--signing-certificate " + file + ": not a certificate (" + e.getMessage() + ")");
    } catch (IOException e) {
      throw new ParameterException(
          spec.commandLine(), "--signing-certificate " + file + ": " + CliSupport.describe(e));
    }
  }

  /** A PKCS#8 ({@code PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}) PEM key. */
  static PrivateKey privateKey(CommandSpec spec, Path file) {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(r)) {
      Object o = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (o instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
      if (o instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      throw new ParameterException(
          spec.commandLine(),
          "--private-key "
              + file
              + ": not an unencrypted PEM private key (PRIVATE KEY or EC PRIVATE KEY)");
    } catch (IOException e) {
      throw new ParameterException(
          spec.commandLine(), "--private-key " + file + ": " + CliSupport.describe(e));
    }
  }
}
