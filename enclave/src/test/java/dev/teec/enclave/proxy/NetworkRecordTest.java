package dev.teec.enclave.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkRecordTest {

  private static final String HASH = "a".repeat(64);

  @Test
  void constructor_completeRecordNeedsHashAndNoError() {
    assertThat(new NetworkRecord("GET", "https://a/", 200, 1, null, HASH, false, null).complete())
        .isTrue();
    assertThatThrownBy(
            () -> new NetworkRecord("GET", "https://a/", 200, 1, null, null, false, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new NetworkRecord("GET", "https://a/", 200, 1, null, HASH, false, "boom"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new NetworkRecord("GET", "https://a/", 403, 0, null, null, true, null))
        .hasMessageContaining("blocked");
    assertThatThrownBy(
            () -> new NetworkRecord("GET", "https://a/", 200, 1, null, "ABC", false, null))
        .hasMessageContaining("hex");
    assertThatThrownBy(
            () -> new NetworkRecord("GET", "https://a/", 200, -1, null, HASH, false, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void namedConstructors_sayWhatHappened() {
    NetworkRecord completed = NetworkRecord.completed("GET", "https://a/", 200, 1, "text/x", HASH);
    assertThat(completed.complete()).isTrue();
    assertThat(completed.blocked()).isFalse();
    NetworkRecord broken = NetworkRecord.failed("GET", "https://a/", 200, 7, "text/x", "cut");
    assertThat(broken.complete()).isFalse();
    assertThat(broken.size()).isEqualTo(7);
    assertThat(broken.error()).isEqualTo("cut");
    NetworkRecord unreachable = NetworkRecord.failed("GET", "https://a/", 502, "down");
    assertThat(unreachable.size()).isZero();
    assertThat(unreachable.contentType()).isNull();
    NetworkRecord denied = NetworkRecord.denied("GET", "https://a/", "not allowed");
    assertThat(denied.blocked()).isTrue();
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.complete()).isFalse();
  }

  @Test
  void canonicalOrder_byUrlThenMethodThenStatus() {
    NetworkRecord b = new NetworkRecord("GET", "https://b/", 200, 1, null, HASH, false, null);
    NetworkRecord aHead = new NetworkRecord("HEAD", "https://a/", 200, 0, null, HASH, false, null);
    NetworkRecord aGet = new NetworkRecord("GET", "https://a/", 200, 1, null, HASH, false, null);
    NetworkRecord aGetFailed =
        new NetworkRecord("GET", "https://a/", 502, 0, null, null, false, "x");
    List<NetworkRecord> list = new ArrayList<>(List.of(b, aHead, aGetFailed, aGet));
    list.sort(NetworkRecord.CANONICAL_ORDER);
    assertThat(list).containsExactly(aGet, aGetFailed, aHead, b);
  }
}
