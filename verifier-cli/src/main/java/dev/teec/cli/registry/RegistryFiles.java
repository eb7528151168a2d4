package dev.teec.cli.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.util.Base64URL;
import dev.teec.truststore.registry.Registry;
import dev.teec.truststore.registry.RegistryFormatException;
import dev.teec.truststore.registry.RegistryJson;

/** A registry file for the registry commands: a bare document or a signed envelope. */
final class RegistryFiles {
  /** True when {@code bytes} is a JWS JSON envelope rather than a bare registry document. */
  static boolean isEnvelope(byte[] bytes) {
    try {
      JsonNode node = RegistryJson.readEnvelope(bytes);
      return node.isObject() && node.has("payload") && node.has("signatures");
    } catch (RegistryFormatException e) {
      return false;
    }
  }

  /**
   * The registry in a bare document or an envelope, unverified: for editing and display only.
   *
   * @throws RegistryFormatException if neither form parses
   */
  static Registry payload(byte[] bytes) throws RegistryFormatException {
    if (isEnvelope(bytes)) {
      JsonNode node = RegistryJson.readEnvelope(bytes);
      return RegistryJson.parse(new Base64URL(node.get("payload").asText()).decode());
    }
    return RegistryJson.parse(bytes);
  }
}
