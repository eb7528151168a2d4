package dev.teec.cli.build;

import dev.teec.builder.client.TrustRoots;
import dev.teec.builder.launch.CommandRunner;
import dev.teec.builder.launch.ImageResolver;
import dev.teec.builder.launch.VsockConnector;
import dev.teec.enclave.protocol.transport.Acceptor;
import dev.teec.enclave.protocol.transport.VsockTransport;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * What a Nitro parent instance provides to a command that starts an enclave: nitro-cli, AF_VSOCK
 * both ways, and the root the enclave's attestation chains to. {@link #NITRO} is the real machine;
 * tests substitute fakes, since none of these exist without the hardware.
 *
 * @param commands runs nitro-cli
 * @param vsock connects to the worker in the enclave
 * @param egress listens for the enclave's egress connections on a vsock port (any CID)
 * @param roots the root the returned attestation must chain to
 * @param emulated whether this is QEMU's emulation of a Nitro parent (its enclaves' attestations
 *     are unsigned, and they boot slowly)
 * @param defaultImages the image of a build whose command names none (no {@code --eif} or
 *     registry): the emulator's own images; empty on Nitro, where the image must be named
 */
public record NitroPlatform(
    CommandRunner commands,
    VsockConnector vsock,
    EgressListener egress,
    TrustRoots roots,
    boolean emulated,
    Optional<ImageResolver> defaultImages) {

  /** A Nitro parent (not emulated). */
  public NitroPlatform(
      CommandRunner commands, VsockConnector vsock, EgressListener egress, TrustRoots roots) {
    this(commands, vsock, egress, roots, false, Optional.empty());
  }

  /** Opens the host side of the egress channel. */
  @FunctionalInterface
  public interface EgressListener {
    /**
     * Listens on vsock port {@code port} for connections from the enclave with CID {@code cid} (on
     * Nitro from any enclave: AF_VSOCK cannot restrict the peer when listening).
     */
    Acceptor listen(long cid, long port) throws IOException;
  }

  /** The real instance: nitro-cli processes, AF_VSOCK, and the pinned AWS Nitro Enclaves root. */
  public static final NitroPlatform NITRO =
      new NitroPlatform(
          CommandRunner.PROCESSES,
          VsockConnector.NATIVE,
          (cid, port) -> new VsockTransport(VsockTransport.CID_ANY, port).listen(),
          TrustRoots.awsNitro());

  /** Checks the fields are present. */
  public NitroPlatform {
    Objects.requireNonNull(commands, "commands");
    Objects.requireNonNull(vsock, "vsock");
    Objects.requireNonNull(egress, "egress");
    Objects.requireNonNull(roots, "roots");
    Objects.requireNonNull(defaultImages, "defaultImages");
  }
}
