package dev.teec.enclave.nsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AttestationRequestTest {
  @Test
  void constructor_largestFields_areAccepted() {
    byte[] max = new byte[1024];

    AttestationRequest r = new AttestationRequest(max, max, max);

    assertThat(r.userData()).hasSize(1024);
    assertThat(r.nonce()).hasSize(1024);
    assertThat(r.publicKey()).hasSize(1024);
  }

  @Test
  void constructor_oversizedUserData_isRefused() {
    assertThatThrownBy(() -> new AttestationRequest(new byte[1025], null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("user_data is 1025 bytes; the NSM accepts 0..1024 bytes (or no value)");
  }

  @Test
  void constructor_oversizedNonce_isRefused() {
    assertThatThrownBy(() -> new AttestationRequest(null, new byte[2000], null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("nonce is 2000 bytes");
  }

  @Test
  void constructor_oversizedPublicKey_isRefused() {
    assertThatThrownBy(() -> new AttestationRequest(null, null, new byte[1025]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("public_key is 1025 bytes; the NSM accepts 1..1024 bytes (or no value)");
  }

  @Test
  void constructor_emptyPublicKey_isRefused() {
    assertThatThrownBy(() -> new AttestationRequest(null, null, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("public_key is 0 bytes");
  }

  @Test
  void constructor_emptyUserDataAndNonce_areAccepted() {
    AttestationRequest r = new AttestationRequest(new byte[0], new byte[0], null);

    assertThat(r.userData()).isEmpty();
    assertThat(r.nonce()).isEmpty();
    assertThat(r.publicKey()).isNull();
  }

  @Test
  void arrays_areCopiedInAndOut() {
    byte[] data = {1, 2, 3};
    AttestationRequest r = new AttestationRequest(data, null, null);
    data[0] = 9;
    r.userData()[1] = 9;

    assertThat(r.userData()).containsExactly(1, 2, 3);
  }

  @Test
  void equals_comparesContent() {
    assertThat(new AttestationRequest(new byte[] {1}, null, new byte[] {2}))
        .isEqualTo(new AttestationRequest(new byte[] {1}, null, new byte[] {2}))
        .hasSameHashCodeAs(new AttestationRequest(new byte[] {1}, null, new byte[] {2}))
        .isNotEqualTo(new AttestationRequest(new byte[] {1}, new byte[0], new byte[] {2}));
    assertThat(AttestationRequest.empty())
        .hasToString("AttestationRequest[userData=null, nonce=null, publicKey=null]");
  }
}
