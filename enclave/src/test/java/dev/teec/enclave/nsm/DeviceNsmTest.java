package dev.teec.enclave.nsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import dev.teec.verifier.AttestationVerifier;
import dev.teec.verifier.TrustAnchors;
import dev.teec.verifier.VerificationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Everything around the ioctl, with a fake C library standing in for the kernel. */
class DeviceNsmTest {
  private static final byte[] DOCUMENT = {(byte) 0x84, 0x44, (byte) 0xa1, 0x01, 0x38, 0x22};

  /** Plays the nsm driver: reads nsm_message from native memory, answers through it. */
  private static final class FakeLibc implements Libc {
    final List<String> calls = new ArrayList<>();
    UnaryOperator<byte[]> device = request -> NsmCodec.encodeAttestationResponse(DOCUMENT);
    Integer openErrno;
    Integer ioctlErrno;
    Long reportedLength;
    byte[] receivedRequest;
    long receivedCapacity;
    long receivedIoctl;

    @Override
    public int open(String path, int flags) {
      calls.add("open " + path + " " + Integer.toHexString(flags));
      if (openErrno != null) {
        throw new LastErrorException(openErrno);
      }
      return 7;
    }

    @Override
    public int ioctl(int fd, long request, Pointer message) {
      calls.add("ioctl " + fd);
      receivedIoctl = request;
      if (ioctlErrno != null) {
        throw new LastErrorException(ioctlErrno);
      }
      Pointer requestBase = message.getPointer(0);
      receivedRequest = requestBase.getByteArray(0, (int) message.getLong(8));
      Pointer responseBase = message.getPointer(16);
      receivedCapacity = message.getLong(24);
      byte[] response = device.apply(receivedRequest);
      responseBase.write(0, response, 0, response.length);
      message.setLong(24, reportedLength != null ? reportedLength : response.length);
      return 0;
    }

    @Override
    public int close(int fd) {
      calls.add("close " + fd);
      return 0;
    }
  }

  @Test
  void ioctlNumber_isIowrOfTypeA_nr0_size32() {
    assertThat(DeviceNsm.NSM_IOCTL_REQUEST).isEqualTo(0xC0200A00L);
    assertThat(DeviceNsm.ioctlReadWrite(0x0A, 0, new NsmMessage(null, 0, null, 0).size()))
        .isEqualTo(DeviceNsm.NSM_IOCTL_REQUEST);
  }

  @Test
  void ioctlReadWrite_knownKernelNumber_matches() {
    // USBDEVFS_CONTROL = _IOWR('U', 0, struct usbdevfs_ctrltransfer) is 0xC0185500 on 64-bit Linux.
    assertThat(DeviceNsm.ioctlReadWrite('U', 0, 24)).isEqualTo(0xC0185500L);
  }

  @Test
  void ioctlReadWrite_sizeTooLarge_isRefused() {
    assertThatThrownBy(() -> DeviceNsm.ioctlReadWrite(0x0A, 0, 1 << 14))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("size 16384");
  }

  @Test
  void nsmMessage_layout_isTwoIovecsOf16Bytes() {
    NsmMessage m = new NsmMessage(null, 0, null, 0);

    assertThat(m.size()).isEqualTo(NsmMessage.SIZE).isEqualTo(32);
    assertThat(m.offsetOf("requestBase")).isZero();
    assertThat(m.offsetOf("requestLength")).isEqualTo(8);
    assertThat(m.offsetOf("responseBase")).isEqualTo(16);
    assertThat(m.offsetOf("responseLength")).isEqualTo(24);
  }

  @Test
  void nsmMessage_write_putsFieldsAtTheirOffsets() {
    try (Memory request = new Memory(4);
        Memory response = new Memory(8)) {
      NsmMessage m = new NsmMessage(request, 4, response, 8);
      m.write();
      Pointer p = m.getPointer();

      assertThat(Pointer.nativeValue(p.getPointer(0))).isEqualTo(Pointer.nativeValue(request));
      assertThat(p.getLong(8)).isEqualTo(4);
      assertThat(Pointer.nativeValue(p.getPointer(16))).isEqualTo(Pointer.nativeValue(response));
      assertThat(p.getLong(24)).isEqualTo(8);
    }
  }

  @Test
  void attest_fakeDriver_sendsEncodedRequestAndDecodesResponse() throws NsmException {
    FakeLibc libc = new FakeLibc();
    DeviceNsm nsm = DeviceNsm.open(libc, "/dev/nsm");
    AttestationRequest request = new AttestationRequest(new byte[] {1, 2}, new byte[] {3}, null);

    byte[] document = nsm.attest(request);

    assertThat(document).isEqualTo(DOCUMENT);
    assertThat(libc.receivedRequest).isEqualTo(NsmCodec.encodeAttestationRequest(request));
    assertThat(libc.receivedCapacity).isEqualTo(0x3000);
    assertThat(libc.receivedIoctl).isEqualTo(0xC0200A00L);
    // The probe at open, then one open-ioctl-close per request; O_RDWR | O_CLOEXEC.
    assertThat(libc.calls)
        .containsExactly(
            "open /dev/nsm 80002", "close 7", "open /dev/nsm 80002", "ioctl 7", "close 7");
    assertThat(nsm.describe()).isEqualTo("nitro /dev/nsm");
  }

  @Test
  void attest_deviceReturnsError_throwsWithCode() throws NsmException {
    FakeLibc libc = new FakeLibc();
    libc.device = request -> NsmCodec.encodeErrorResponse(NsmErrorCode.INPUT_TOO_LARGE);
    DeviceNsm nsm = DeviceNsm.open(libc, "/dev/nsm");

    NsmException e =
        catchThrowableOfType(NsmException.class, () -> nsm.attest(AttestationRequest.empty()));

    assertThat(e.errorCode()).contains(NsmErrorCode.INPUT_TOO_LARGE);
    assertThat(libc.calls).endsWith("close 7");
  }

  @Test
  void open_deviceAbsent_explainsItIsNotAnEnclave() {
    FakeLibc libc = new FakeLibc();
    libc.openErrno = 2;

    assertThatThrownBy(() -> DeviceNsm.open(libc, "/dev/nsm"))
        .isInstanceOf(NsmException.class)
        .hasMessage(
            "cannot open /dev/nsm: ENOENT (no such file or directory); this is not a Nitro Enclave"
                + " (or its nsm driver is not loaded). Use the simulated NSM for local builds.");
  }

  @Test
  void open_permissionDenied_namesErrno() {
    FakeLibc libc = new FakeLibc();
    libc.openErrno = 13;

    assertThatThrownBy(() -> DeviceNsm.open(libc, "/dev/nsm"))
        .hasMessageContaining("EACCES (permission denied)")
        .hasMessageContaining("read-write access");
  }

  @Test
  void attest_ioctlFails_namesErrnoAndCloses() throws NsmException {
    FakeLibc libc = new FakeLibc();
    DeviceNsm nsm = DeviceNsm.open(libc, "/dev/nsm");
    libc.ioctlErrno = 90;

    assertThatThrownBy(() -> nsm.attest(AttestationRequest.empty()))
        .isInstanceOf(NsmException.class)
        .hasMessage(
            "ioctl NSM_IOCTL_REQUEST on /dev/nsm failed: EMSGSIZE (message too long);"
                + " the request or the response exceeds the driver's limit");
    assertThat(libc.calls).endsWith("ioctl 7", "close 7");
  }

  @Test
  void attest_unknownErrno_givesItsNumber() throws NsmException {
    FakeLibc libc = new FakeLibc();
    DeviceNsm nsm = DeviceNsm.open(libc, "/dev/nsm");
    libc.ioctlErrno = 200;

    assertThatThrownBy(() -> nsm.attest(AttestationRequest.empty()))
        .hasMessageContaining("errno 200");
  }

  @Test
  void attest_driverReportsZeroLength_isRefused() throws NsmException {
    FakeLibc libc = new FakeLibc();
    libc.reportedLength = 0L;
    DeviceNsm nsm = DeviceNsm.open(libc, "/dev/nsm");

    assertThatThrownBy(() -> nsm.attest(AttestationRequest.empty()))
        .hasMessage("the driver reported a response of 0 bytes; expected 1..12288");
  }

  @Test
  void attest_driverReportsMoreThanBuffer_isRefused() throws NsmException {
    FakeLibc libc = new FakeLibc();
    libc.reportedLength = 0x3001L;
    DeviceNsm nsm = DeviceNsm.open(libc, "/dev/nsm");

    assertThatThrownBy(() -> nsm.attest(AttestationRequest.empty()))
        .hasMessageContaining("12289 bytes");
  }

  @Test
  void attest_garbledResponse_isMalformed() throws NsmException {
    FakeLibc libc = new FakeLibc();
    libc.device = request -> new byte[] {(byte) 0xa1, 0x00};
    DeviceNsm nsm = DeviceNsm.open(libc, "/dev/nsm");

    assertThatThrownBy(() -> nsm.attest(AttestationRequest.empty()))
        .hasMessageStartingWith("malformed NSM response");
  }

  @Test
  void attest_driverBackedBySimulation_givesVerifiableDocument(@TempDir Path home)
      throws Exception {
    Instant now = Instant.parse("2026-03-01T10:00:00Z");
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    SimulatedNsm simulated = SimulatedNsm.open(home, clock, WorkerIdentity.of("w", "r", "c"));
    FakeLibc libc = new FakeLibc();
    libc.device = simulated::process;
    DeviceNsm nsm = DeviceNsm.open(libc, "/dev/nsm");

    byte[] document = nsm.attest(new AttestationRequest(new byte[48], new byte[] {5}, null));

    VerificationResult r =
        AttestationVerifier.builder()
            .clock(clock)
            .trustAnchors(TrustAnchors.of(List.of(simulated.rootCertificate())))
            .build()
            .verify(document);
    assertThat(r.failures()).isEmpty();
    assertThat(r.requireVerified().document().moduleId()).isEqualTo(simulated.moduleId());
  }

  @Test
  void requireSupportedPlatform_onlyLinux64OnNitroArchitectures() throws NsmException {
    DeviceNsm.requireSupportedPlatform(true, true, "x86-64");
    DeviceNsm.requireSupportedPlatform(true, true, "aarch64");

    assertThatThrownBy(() -> DeviceNsm.requireSupportedPlatform(false, true, "aarch64"))
        .hasMessageContaining("not Linux on aarch64");
    assertThatThrownBy(() -> DeviceNsm.requireSupportedPlatform(true, false, "x86"))
        .hasMessageContaining("(32-bit)");
    assertThatThrownBy(() -> DeviceNsm.requireSupportedPlatform(true, true, "ppc64le"))
        .hasMessageContaining("Use the simulated NSM");
  }

  @Test
  void open_realLibcWithoutDevice_reportsDeviceAbsent() {
    assumeTrue(Platform.isLinux() && Platform.is64Bit());
    assumeFalse(Files.exists(Path.of(DeviceNsm.DEVICE)), "this machine has an NSM");

    assertThatThrownBy(DeviceNsm::open)
        .isInstanceOf(NsmException.class)
        .hasMessageStartingWith("cannot open /dev/nsm: ENOENT");
  }
}
