package dev.teec.enclave.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teec.enclave.nsm.AttestationRequest;
import dev.teec.enclave.nsm.Nsm;
import dev.teec.enclave.nsm.NsmCodec;
import dev.teec.enclave.nsm.NsmException;
import dev.teec.json.BoundedCbor;
import dev.teec.json.BoundedJson;
import dev.teec.json.JsonLimits;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Learns this enclave's own PCRs by asking the NSM for an attestation and reading its payload. The
 * report names the image by these PCRs, and the same NSM signs them into the final document, so the
 * two agree by construction; the verifier checks that they do. Nothing here is trusted for its
 * authenticity: the document is only read.
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
