package dev.teec.builder.egress;

import dev.teec.enclave.protocol.EgressOpen;
import dev.teec.enclave.protocol.egress.EgressAllowlist;
import dev.teec.enclave.protocol.egress.EgressEvent;
import dev.teec.enclave.protocol.egress.EgressForwarder;
import dev.teec.enclave.protocol.egress.UpstreamConnector;
import dev.teec.enclave.protocol.transport.Acceptor;
import dev.teec.formats.buildspec.Language;
import java.io.Closeable;
import java.util.Collection;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Starts the egress forwarder (SPEC W9) for one build. The allowlist is a second gate after the
 * worker's own proxy allowlist: by default the language's package registries ({@link
 * Language#registryHosts()}), plus the hosts given with {@code --allow-host}. A C build therefore
 * gets no network at all unless hosts are added.
 */
public final class HostEgress {
  /** At most this many upstream connections at once; a build's package manager opens a handful. */
  public static final int MAX_CONNECTIONS = 64;

  private HostEgress() {}

  /**
   * The allowlist for a build of {@code language}: its registry hosts and {@code extraHosts}, on
   * ports 443 and 80.
   *
   * @throws IllegalArgumentException naming the first extra host that is not a lower-case DNS name
   *     or IPv4 address
   */
  public static EgressAllowlist allowlist(Language language, Collection<String> extraHosts) {
    TreeSet<String> hosts = new TreeSet<>(language.registryHosts());
    for (String h : extraHosts) {
      String host = h.strip().toLowerCase(Locale.ROOT);
      if (!EgressOpen.isValidHost(host)) {
        throw new IllegalArgumentException(
            "--allow-host \""
                + h
                + "\" is not a DNS name or IPv4 address"
                + " (no scheme, port or path)");
      }
      hosts.add(host);
    }
    return EgressAllowlist.of(hosts);
  }

  /**
   * Starts forwarding connections accepted on {@code acceptor} (in Nitro: vsock, any CID, port
   * 8001) to {@code upstream}, reporting every decision to {@code notes}.
   *
   * @return stops the forwarder and closes every relayed connection
   */
  public static Closeable start(
      Acceptor acceptor,
      EgressAllowlist allowlist,
      UpstreamConnector upstream,
      Consumer<String> notes) {
    Consumer<EgressEvent> audit =
        e ->
            notes.accept(
                "egress: "
                    + (e.relayed() ? "relayed " : "refused ")
                    + (e.target().isEmpty() ? "(no request)" : e.target())
                    + e.refusal()
                        .map(c -> " [" + c.name().toLowerCase(Locale.ROOT) + "]")
                        .orElse("")
                    + " "
                    + e.detail());
    EgressForwarder forwarder =
        new EgressForwarder(
            acceptor,
            allowlist,
            upstream,
            MAX_CONNECTIONS,
            r -> {
              Thread t = new Thread(r, "teec-egress");
              t.setDaemon(true);
              return t;
            },
            audit);
    forwarder.start();
    return forwarder;
  }

  /** Text for people: the hosts of {@code allowlist}, sorted, or "none". */
  public static String describe(EgressAllowlist allowlist) {
    return allowlist.hosts().isEmpty()
        ? "none"
        : String.join(", ", new TreeSet<>(allowlist.hosts()));
  }
}
