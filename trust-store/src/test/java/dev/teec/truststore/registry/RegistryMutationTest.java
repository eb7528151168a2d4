package dev.teec.truststore.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Single-byte changes to a registry document only ever raise {@link RegistryFormatException}, and
 * single-byte changes to a signed envelope never make a different registry verify nor make the
 * verifier throw.
 */
class RegistryMutationTest {
  private static final Registry REGISTRY =
      Fixtures.registry(2, Fixtures.image("rust-1.83-cargo", 0x10));

  @Test
  void parse_onMutatedDocuments_throwsOnlyFormatErrors() {
    byte[] json = RegistryJson.serialize(REGISTRY);
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < json.length; i++) {
      for (byte b : new byte[] {'"', '{', '0', 'x', ' ', (byte) 0xff}) {
        byte[] mutated = json.clone();
        mutated[i] = b;
        try {
          RegistryJson.parse(mutated);
        } catch (RegistryFormatException expected) {
          // rejected cleanly
        } catch (RuntimeException e) {
          problems.add("byte " + i + " = " + b + ": " + e);
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void verify_onMutatedEnvelopes_neverThrows_andNeverAcceptsAnotherRegistry() {
    ECKey key = MaintainerKeys.generate("alice");
    RegistryVerifier verifier =
        RegistryVerifier.builder()
            .keys(new JWKSet(key.toPublicJWK()))
            .clock(Clock.fixed(Fixtures.NOW, ZoneOffset.UTC))
            .build();
    byte[] envelope = RegistrySigner.sign(REGISTRY, key).getBytes(StandardCharsets.UTF_8);
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < envelope.length; i++) {
      byte[] mutated = envelope.clone();
      mutated[i] = (byte) (mutated[i] == 'A' ? 'B' : 'A');
      try {
        RegistryVerification v = verifier.verify(mutated);
        if (v.verified() && !v.verifiedRegistry().orElseThrow().registry().equals(REGISTRY)) {
          problems.add("byte " + i + ": another registry verified");
        }
      } catch (RuntimeException e) {
        problems.add("byte " + i + ": " + e);
      }
    }
    assertThat(problems).isEmpty();
  }
}
