package dev.teec.enclave.proxy;

import java.time.Duration;
import javax.net.ssl.SSLContext;

/** The fixed configuration a running proxy shares with its connection handlers. */
record ProxySettings(
    ProxyCa ca,
    HostAllowlist allowlist,
    UpstreamConnector connector,
    SSLContext upstreamTls,
    long maxResponseBytes,
    long maxRequestBodyBytes,
    Duration connectTimeout,
    Duration readTimeout) {}
