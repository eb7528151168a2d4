package dev.teec.enclave.runner;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * Whether network isolation was enforced for a build, for the report.
 *
 * @param enforced true when the build could reach the network only through the recording proxy
 * @param mechanism stable identifier: {@code none}, {@code linux-netns} or {@code nitro-enclave}
 * @param detail one or two sentences for humans, including what the mechanism does not cover
 */
public record NetworkIsolation(boolean enforced, String mechanism, String detail) {
  public NetworkIsolation {
    Objects.requireNonNull(mechanism, "mechanism");
    Objects.requireNonNull(detail, "detail");
  }

  static NetworkIsolation none() {
    return new NetworkIsolation(
        false,
        "none",
        "Local mode without a network namespace: the build shared the host's network and could have"
            + " reached it directly, bypassing the recording proxy.");
  }

  static NetworkIsolation networkNamespace(OptionalInt proxyPort) {
    String reach =
        proxyPort.isPresent()
            ? " the only listener the runner provided there was 127.0.0.1:"
                + proxyPort.getAsInt()
                + ", forwarded to the recording proxy."
            : " no proxy was forwarded into it, so the build had no network access at all.";
    return new NetworkIsolation(
        true,
        "linux-netns",
        "The build ran in new Linux network and PID namespaces whose only interface was loopback;"
            + reach
            + " The filesystem (including Unix-domain sockets of host services) was shared with the"
            + " host.");
  }

  static NetworkIsolation enclave() {
    return new NetworkIsolation(
        true,
        "nitro-enclave",
        "The build ran inside a Nitro Enclave, which has no network device; its only channel is"
            + " vsock to the parent instance, and TLS to upstream servers is terminated inside the"
            + " enclave.");
  }
}
