package dev.teec.enclave.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
      })
  void run_badArguments_exit2WithTheReason(String args, String reason) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = WorkerMain.run(args.split(" "), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains(reason).contains("usage:");
  }
}
