package dev.teec.cli.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.teec.builder.source.PackedSource;
import dev.teec.builder.source.SourcePacker;
import dev.teec.builder.source.SourceSelector;
import dev.teec.emulator.enclave.EmulatedEnclaves;
import dev.teec.emulator.enclave.EnclaveRecord;
import dev.teec.emulator.image.ImageResult;
import dev.teec.enclave.protocol.BuildEvents;
import dev.teec.enclave.protocol.BuildOutcome;
import dev.teec.enclave.protocol.BuildRequest;
import dev.teec.enclave.protocol.ByteString;
import dev.teec.enclave.protocol.ClientHello;
import dev.teec.enclave.protocol.ClientSession;
import dev.teec.enclave.protocol.LogLine;
import dev.teec.enclave.protocol.SessionLimits;
import dev.teec.enclave.protocol.SourceMetadata;
import dev.teec.enclave.protocol.WorkerHello;
import dev.teec.enclave.protocol.transport.Connection;
import dev.teec.formats.bundle.BundleLimits;
import dev.teec.formats.bundle.BundleReader;
import dev.teec.formats.bundle.ReadBundle;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emulator tier (opt-in: {@code mvn -P emulator ...}, after {@code teec emulator setup}): the C
 * image boots under QEMU's nitro-enclave machine, its worker listens on vsock and is reached
 * through the backend's Unix socket, builds the demo's hello.c, and attests through the guest's
 * /dev/nsm (an unsigned document with the EIF's PCRs, the nonce, and the report's SHA-384).
 */
class EmulatedEnclaveIT {
  private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(10);

  @TempDir Path temp;

  @Test
  void cImage_bootsBuildsAndAttestsThroughDevNsm() throws Exception {
    ImageResult image = EmulatorTier.image("c");
    EmulatedEnclaves enclaves =
        new EmulatedEnclaves(EmulatorTier.home(), EmulatorTier.installation(), System.getenv());
    long started = System.nanoTime();
    EnclaveRecord enclave = enclaves.run(image.path(), 2, 4096, OptionalLong.empty(), false);
    Path runDir = enclaves.hostSocket(enclave.cid()).getParent();
    try {
      Connection connection = connectWhenReady(enclaves, enclave);
      System.err.printf("boot to worker ready: %.1f s%n", (System.nanoTime() - started) / 1e9);
      byte[] nonce = new byte[32];
      new SecureRandom().nextBytes(nonce);
      Path bundle = temp.resolve("bundle.tar");
      BuildOutcome outcome;
      try (ClientSession client =
          new ClientSession(
              connection, ClientHello.of("EmulatedEnclaveIT"), SessionLimits.DEFAULT)) {
        WorkerHello hello = client.handshake();
        assertThat(hello.simulated()).as("the worker in the enclave uses the device NSM").isFalse();
        PackedSource source =
            SourcePacker.pack(
                new SourceSelector().select(sample(), false, List.of()),
                Files.createDirectory(temp.resolve("pack")));
        byte[] buildJson = Files.readAllBytes(sample().resolve("build.json"));
        BuildRequest request =
            new BuildRequest(
                ByteString.of(buildJson),
                ByteString.of(nonce),
                source.size(),
                ByteString.fromHex(source.sha256()),
                SourceMetadata.UNKNOWN);
        long buildStart = System.nanoTime();
        try (InputStream archive = Files.newInputStream(source.archive());
            OutputStream sink = Files.newOutputStream(bundle)) {
          outcome =
              client.build(
                  request,
                  archive,
                  new BuildEvents() {
                    @Override
                    public void onLog(LogLine line) {
                      System.err.println("enclave build: " + line);
                    }
                  },
                  sink);
        }
        System.err.printf("build in the enclave: %.1f s%n", (System.nanoTime() - buildStart) / 1e9);
      }
      assertThat(outcome.result().success()).as(outcome.result().message()).isTrue();

      ReadBundle read =
          new BundleReader(BundleLimits.defaults())
              .read(bundle, Files.createDirectory(temp.resolve("extract")));
      JsonNode cose = new ObjectMapper(new CBORFactory()).readTree(read.attestationCbor());
      JsonNode doc = new ObjectMapper(new CBORFactory()).readTree(cose.get(2).binaryValue());
      // QEMU's NSM signs nothing: protected header {1: -1}, a 64-byte zero signature, a zero
      // certificate and a one-element CA bundle (what teec-verify --emulated will have to accept).
      JsonNode protectedHeader =
          new ObjectMapper(new CBORFactory()).readTree(cose.get(0).binaryValue());
      assertThat(protectedHeader.size()).isEqualTo(1);
      assertThat(protectedHeader.path("1").asInt()).isEqualTo(-1);
      assertThat(cose.get(3).binaryValue()).isEqualTo(new byte[64]);
      assertThat(doc.get("cabundle").size()).isEqualTo(1);
      assertThat(doc.get("digest").asText()).isEqualTo("SHA384");
      assertThat(doc.get("certificate").binaryValue()).isEqualTo(new byte[64]);
      assertThat(doc.get("module_id").asText()).isEqualTo(enclave.id());
      for (int i = 0; i <= 2; i++) {
        assertThat(HexFormat.of().formatHex(doc.get("pcrs").get(String.valueOf(i)).binaryValue()))
            .as("PCR%d attested = PCR%d of the EIF", i, i)
            .isEqualTo(image.pcrs().get(i));
      }
      assertThat(doc.get("nonce").binaryValue()).isEqualTo(nonce);
      assertThat(doc.get("user_data").binaryValue())
          .isEqualTo(MessageDigest.getInstance("SHA-384").digest(read.reportJson()));
    } finally {
      enclaves.terminate(enclave.id());
    }
    assertThat(enclave.qemu().flatMap(EnclaveRecord.ProcessRef::handle))
        .as("QEMU after terminate")
        .isEmpty();
    assertThat(enclave.backend().flatMap(EnclaveRecord.ProcessRef::handle))
        .as("backend after terminate")
        .isEmpty();
    assertThat(runDir).doesNotExist();
  }

  /** The worker listens once the guest has booted: until then the backend closes the connection. */
  private static Connection connectWhenReady(EmulatedEnclaves enclaves, EnclaveRecord enclave)
      throws InterruptedException {
    long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      assertThat(enclave.running()).as("QEMU is running").isTrue();
      try {
        return enclaves.vsock(enclave.cid(), 5000).connect();
      } catch (IOException e) {
        last = e;
        Thread.sleep(1000);
      }
    }
    return fail("the worker did not listen within " + BOOT_TIMEOUT + ": " + last);
  }

  /** The demo's project: hello.c and its build.json. */
  private Path sample() throws IOException {
    Path dir = temp.resolve("hello-c");
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      for (String name : List.of("build.json", "hello.c")) {
        try (InputStream in = getClass().getResourceAsStream("/dev/teec/cli/demo/" + name)) {
          Files.copy(in, dir.resolve(name));
        }
      }
    }
    return dir;
  }
}
