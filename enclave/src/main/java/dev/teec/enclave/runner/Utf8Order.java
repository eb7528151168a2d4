package dev.teec.enclave.runner;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/** Orders strings by their UTF-8 bytes (unsigned), the order other tools reproduce most easily. */
final class Utf8Order {
  static final Comparator<String> COMPARATOR =
      (a, b) ->
          Arrays.compareUnsigned(
              a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

  private Utf8Order() {}
}
