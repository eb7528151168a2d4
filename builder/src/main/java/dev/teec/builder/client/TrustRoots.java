package dev.teec.builder.client;

import dev.teec.verifier.TrustAnchors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;

/**
 * Which root the returned attestation must chain to. Asked after the worker has started, because a
 * local worker creates its simulated root on first use.
 */
@FunctionalInterface
public interface TrustRoots {

  /** The anchors to verify the attestation with. */
  TrustAnchors anchors() throws IOException;

  /** The pinned AWS Nitro Enclaves root (nitro mode). */
  static TrustRoots awsNitro() {
    return TrustAnchors::awsNitroEnclavesRootG1;
  }

  /** Only the simulated root in {@code teecHome} (local mode); never the AWS root. */
  static TrustRoots simulated(Path teecHome) {
    return () -> {
      Path pem = teecHome.resolve("simulated-nsm").resolve("root.pem");
      try (InputStream in = Files.newInputStream(pem)) {
        return TrustAnchors.of(TrustAnchors.readPem(in));
      } catch (CertificateException e) {
        throw new IOException(
            "the simulated root " + pem + " is not a readable certificate: " + e.getMessage(), e);
      }
    };
  }
}
