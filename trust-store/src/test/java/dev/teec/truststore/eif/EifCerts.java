package dev.teec.truststore.eif;

import java.security.cert.X509Certificate;

/** Test certificates shared across packages. */
public final class EifCerts {
  private EifCerts() {}

  public static X509Certificate selfSigned() throws Exception {
    return EifReaderTest.selfSigned();
  }
}
