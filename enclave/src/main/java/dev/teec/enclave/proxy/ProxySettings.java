package dev.teec.enclave.proxy;

import dev.teec.enclave.protocol.egress.UpstreamConnector;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * The fixed configuration a running proxy shares with its connection handlers; {@code replay} is
 * null for a live proxy, else where every response comes from instead of upstream.
 */
record ProxySettings(
    ProxyCa ca,
    HostAllowlist allowlist,
    UpstreamConnector connector,
    SSLContext upstreamTls,
    long maxResponseBytes,
    long maxRequestBodyBytes,
    Duration connectTimeout,
    Duration readTimeout,
    OfflineReplay replay) {}
