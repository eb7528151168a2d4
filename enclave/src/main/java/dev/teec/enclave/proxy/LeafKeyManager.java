package dev.teec.enclave.proxy;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents one EC certificate chain as a TLS server. Building an in-memory PKCS12 key store for
 * every host instead would spend tens of milliseconds per host on password-based encryption.
 */
final class LeafKeyManager extends X509ExtendedKeyManager {

  private static final String ALIAS = "leaf";

  private final PrivateKey key;
  private final X509Certificate[] chain;

  LeafKeyManager(PrivateKey key, List<X509Certificate> chain) {
    this.key = key;
    this.chain = chain.toArray(new X509Certificate[0]);
  }

  // JSSE asks by key type: "EC" for ECDSA in TLS 1.2 and 1.3; anything else cannot use this key.
  private static boolean usable(String keyType) {
    return "EC".equals(keyType);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return usable(keyType) ? new String[] {ALIAS} : null;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return usable(keyType) ? ALIAS : null;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return usable(keyType) ? ALIAS : null;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? chain.clone() : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? key : null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }
}
