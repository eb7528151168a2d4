package dev.teec.enclave.runner;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** How the build is kept from reaching the network other than through the recording proxy. */
public enum IsolationMode {
  /**
   * Nothing: the build shares the host's network. The outcome reports isolation as not enforced.
   * For local development only.
   */
  NONE,
  /**
   * Linux only, needs permission to create namespaces (root, or CAP_SYS_ADMIN) and {@code unshare}
   * from util-linux: the build runs in new network and PID namespaces whose only interface is
   * loopback, where the runner forwards 127.0.0.1:&lt;proxy port&gt; to the proxy. Starting the
   * build fails if the namespaces cannot be created; it never silently degrades.
   */
  NETWORK_NAMESPACE,
  /**
   * The caller states that the runner runs inside a Nitro Enclave, which has no network device (its
   * only channel is vsock to the parent instance). The runner cannot check this itself; the worker
   * chooses this mode exactly when it talks to the real NSM device.
   */
  ENCLAVE;

  /**
   * Whether {@link #NETWORK_NAMESPACE} can work here: {@code unshare} may create network and PID
   * namespaces (checked by running it once, for at most 5 seconds).
   */
  public static boolean networkNamespacesAvailable() {
    try {
      Process p =
          new ProcessBuilder("unshare", "--net", "--pid", "--fork", "true")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
