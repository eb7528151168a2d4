package dev.teec.verifier.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.teec.verifier.Bytes;
import dev.teec.verifier.Policy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Fuzzes {@link Policy#fromJson}: whatever the bytes, it either returns a policy that satisfies the
 * builder's invariants or throws {@link IOException} (in practice {@link
 * dev.teec.verifier.PolicyFormatException}). Any other exception escaping is a finding.
 *
 * <p>Seeds: {@code src/fuzz/resources/dev/teec/verifier/fuzz/PolicyFuzzTestInputs/fromJson/}.
 * Without {@code JAZZER_FUZZ} only the seeds run (regression mode); see bench/README.md, "Fuzzing".
 */
class PolicyFuzzTest {
  @FuzzTest(maxDuration = "60s")
  @DictionaryEntries({
    "\"pcrs\"",
    "\"allowedPcrSets\"",
    "\"allowDebug\"",
    "\"userData\"",
    "\"nonce\"",
    "\"publicKey\"",
    "true",
    "false",
    "null",
    "\"0\"",
    "\"31\"",
    "\"32\"",
    "\"00\"",
    "\"000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\"",
  })
  void fromJson(byte[] data) {
    Policy policy;
    try {
      policy = Policy.fromJson(new ByteArrayInputStream(data));
    } catch (IOException expected) {
      // PolicyFormatException is an IOException: the declared way to reject input.
      return;
    }
    if (policy == null) {
      throw new AssertionError("fromJson returned null");
    }
    checkPcrs(policy.expectedPcrs(), "pcrs");
    policy.allowedPcrSets().ifPresent(PolicyFuzzTest::checkSets);
  }

  private static void checkSets(List<SortedMap<Integer, Bytes>> sets) {
    if (sets.isEmpty()) {
      throw new AssertionError("an empty allowedPcrSets was accepted");
    }
    for (SortedMap<Integer, Bytes> set : sets) {
      if (set.isEmpty()) {
        throw new AssertionError("an empty allowed PCR set was accepted");
      }
      checkPcrs(set, "allowedPcrSets");
    }
  }

  private static void checkPcrs(Map<Integer, Bytes> pcrs, String where) {
    pcrs.forEach(
        (index, value) -> {
          int n = value.length();
          if (index < 0 || index > 31 || (n != 32 && n != 48 && n != 64)) {
            throw new AssertionError(where + ": accepted PCR" + index + " with " + n + " bytes");
          }
        });
  }
}
