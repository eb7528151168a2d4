package dev.teec.emulator;

import dev.teec.enclave.nsm.TeecHome;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where the emulator keeps its files: {@code $TEEC_HOME/emulator} (default {@code
 * ~/.teec/emulator}).
 *
 * @param root the emulator's directory
 */
public record EmulatorHome(Path root) {
  public EmulatorHome {
    Objects.requireNonNull(root, "root");
    root = root.toAbsolutePath().normalize();
  }

  /** {@code emulator} under the teec home that {@code environment} and {@code userHome} give. */
  public static EmulatorHome resolve(Map<String, String> environment, String userHome) {
    return new EmulatorHome(TeecHome.resolve(environment, userHome).resolve("emulator"));
  }

  /** What {@code teec emulator setup} made: QEMU, the vsock backend, the kernel, busybox. */
  public Path setup() {
    return root.resolve("setup");
  }

  /** The root file systems of the images, one tar per language and recipe. */
  public Path rootfs() {
    return root.resolve("rootfs");
  }

  /** The EIFs. */
  public Path images() {
    return root.resolve("images");
  }

  /** One directory per running emulated enclave. */
  public Path run() {
    return root.resolve("run");
  }

  /** Logs of setup, image builds and enclaves. */
  public Path logs() {
    return root.resolve("logs");
  }
}
