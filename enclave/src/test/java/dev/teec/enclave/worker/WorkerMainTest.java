package dev.teec.enclave.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkerMainTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "--nsm simulated|--listen is required",
        "--listen ftp:21|expected tcp:PORT, unix:PATH or vsock:PORT",
        "--listen tcp:x|'x' is not a port number",
        "--listen tcp:1 --nsm fake|--nsm 'fake': expected one of [device, simulated]",
        "--listen tcp:1 --bogus|unknown option '--bogus'",
        "--listen|--listen needs a value",
        "--listen tcp:1 --replay-report r.json|--replay-report and --replay-cache go together",
        "--listen tcp:1 --replay-cache dir|--replay-report and --replay-cache go together",
        "--listen tcp:1 --path|--path needs a value",
        "--listen tcp:1 --toolchain-env JAVA_HOME=/j|--toolchain-env needs --host-toolchains",
        "--listen tcp:1 --host-toolchains --toolchain-env JAVA_HOME|expected NAME=VALUE",
        "--listen tcp:1 --host-toolchains --toolchain-env CARGO_HOME=/c|CARGO_HOME is not a toolchain variable",
        "--listen vsock:5000 --nsm device --host-toolchains|--host-toolchains is for local workers",
        "--listen tcp:1 --egress-cid 4294967295|--egress-cid '4294967295' is not a vsock CID",
        "--listen tcp:1 --egress-cid -3|--egress-cid '-3' is not a vsock CID",
        "--listen tcp:1 --egress-cid|--egress-cid needs a value",
      })
  void run_badArguments_exit2WithTheReason(String args, String reason) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        WorkerMain.run(
            args.split(" "),
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains(reason).contains("usage:");
  }

  @Test
  void run_unusableUpstreamCaBundle_exit3NamingTheFile(@TempDir Path dir) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Path bundle = dir.resolve("absent.crt");
    int code =
        WorkerMain.run(
            new String[] {
              "--listen",
              "unix:" + dir.resolve("w.sock"),
              "--teec-home",
              dir.resolve("home").toString(),
              "--upstream-ca-bundle",
              bundle.toString(),
              "--once"
            },
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(3);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("teec-worker: ")
        .contains("absent.crt");
  }
}
