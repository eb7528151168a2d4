package dev.teec.enclave.nsm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teec.json.BoundedCbor;
import dev.teec.json.BoundedJson;
import dev.teec.json.JsonLimits;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Learns the enclave's own PCRs by asking the device NSM for an attestation and reading its payload
 * ({@link DeviceNsm#pcrs}): the values come from the same place as those the final document
 * carries, so the two agree by construction; the verifier checks that they do. Nothing here is
 * trusted for its authenticity: the document is only read.
 */
final class AttestedPcrs {
  private static final BoundedJson CBOR =
      BoundedCbor.reader(JsonLimits.of(NsmCodec.MAX_RESPONSE_BYTES));

  private AttestedPcrs() {}

  static Map<Integer, byte[]> read(Nsm nsm) throws NsmException {
    byte[] document = nsm.attest(AttestationRequest.empty());
    try {
      JsonNode cose = CBOR.read(document);
      if (cose == null || !cose.isArray() || cose.size() != 4 || !cose.get(2).isBinary()) {
        throw new NsmException("the NSM returned a document that is not a COSE_Sign1 array");
      }
      JsonNode payload = CBOR.read(cose.get(2).binaryValue());
      JsonNode pcrs = payload == null ? null : payload.get("pcrs");
      if (pcrs == null || !pcrs.isObject()) {
        throw new NsmException("the NSM's document has no pcrs map");
      }
      Map<Integer, byte[]> out = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = pcrs.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.put(Integer.parseInt(e.getKey()), e.getValue().binaryValue());
      }
      return out;
    } catch (IOException | NumberFormatException e) {
      throw new NsmException("cannot read PCRs from the NSM's document: " + e.getMessage(), e);
    }
  }
}
