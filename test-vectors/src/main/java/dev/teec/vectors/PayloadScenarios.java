package dev.teec.vectors;

import dev.teec.generator.CborWriter;
import dev.teec.generator.Derive;
import dev.teec.generator.DocumentSigner;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Documents broken in their payload: a missing, mistyped or oversized NSM field. */
final class PayloadScenarios extends ScenarioGroup {
  PayloadScenarios(Shared shared) {
    super(shared);
  }

  @Override
  void add() {
    scenario(
            "duplicate-map-key-payload",
            "The payload map has module_id twice with different values, so readers"
                + " could disagree on which one counts.",
            sign(
                spec()
                    .extraEntry(
                        "module_id", CborWriter.text("i-00000000000000000-enc0000000000000000"))))
        .fails("payload.map");
    scenario(
            "payload-trailing-bytes",
            "One 0x00 byte follows the payload map inside the payload byte string.",
            sign(spec().trailingBytes(new byte[] {0})))
        .fails("payload.map");
    scenario(
            "tag-in-payload",
            "The timestamp is wrapped in tag 1 (epoch time); the payload may hold no tags.",
            sign(
                spec()
                    .omit("timestamp")
                    .keyOrder(NSM_KEY_ORDER)
                    .extraEntry(
                        "timestamp",
                        CborWriter.tagged(1, CborWriter.integer(base.toEpochMilli())))))
        .fails("payload.map");
    scenario(
            "both-pcrs-and-nitrotpm-pcrs",
            "The payload has both pcrs and nitrotpm_pcrs, so it is neither an"
                + " enclave nor a NitroTPM document.",
            sign(spec().extraEntry("nitrotpm_pcrs", pcrItem(pcrs))))
        .fails("payload.kind");
    scenario(
            "null-module-id",
            "module_id is CBOR null; it is mandatory.",
            sign(spec().moduleId(null)))
        .fails("payload.module_id");
    scenario(
            "missing-digest",
            "The digest key is absent; it is mandatory.",
            sign(spec().omit("digest")))
        .fails("payload.digest");
    scenario(
            "digest-sha256",
            "digest is \"SHA256\"; AWS documents always say \"SHA384\".",
            sign(spec().digest("SHA256")))
        .fails("payload.digest");
    scenario(
            "timestamp-zero",
            "timestamp is 0; it must be a positive number of milliseconds.",
            sign(spec().timestamp(Instant.EPOCH)))
        .fails("payload.timestamp");
    scenario("null-mandatory-pcrs", "pcrs is CBOR null; it is mandatory.", sign(spec().pcrs(null)))
        .fails("payload.pcrs");
    Map<Integer, byte[]> index32 = new LinkedHashMap<>(pcrs);
    index32.put(32, other("pcr32"));
    scenario(
            "pcr-index-32",
            "The PCR map has index 32; indexes are 0..31.",
            sign(spec().pcrs(index32)))
        .fails("payload.pcrs");
    Map<Integer, byte[]> shortPcr = new LinkedHashMap<>(pcrs);
    shortPcr.put(5, new byte[PCR_BYTES - 1]);
    scenario(
            "pcr-bad-length",
            "PCR5 is 47 bytes; PCR values are 32, 48 or 64 bytes.",
            sign(spec().pcrs(shortPcr)))
        .fails("payload.pcrs");
    scenario(
            "null-certificate",
            "certificate is CBOR null; it is mandatory.",
            sign(
                spec()
                    .omit("certificate")
                    .keyOrder(NSM_KEY_ORDER)
                    .extraEntry("certificate", CborWriter.nul())))
        .fails("payload.certificate");
    scenario(
            "empty-cabundle",
            "cabundle is an empty array; it must hold at least the root.",
            DocumentSigner.signEnvelope(
                    spec().build(), chain.leafCertificate(), List.of(), chain.leafKey())
                .encode())
        .fails("payload.cabundle");
    scenario(
            "oversized-user-data",
            "user_data is 1025 bytes; the limit is 1024.",
            sign(spec().userData(Derive.bytes(1025, "oversized", seed))))
        .fails("payload.user_data");
    scenario(
            "oversized-public-key",
            "public_key is 1025 bytes; the limit is 1024.",
            sign(spec().publicKey(Derive.bytes(1025, "oversized", seed))))
        .fails("payload.public_key");
    scenario(
            "oversized-nonce",
            "nonce is 1025 bytes; the limit is 1024.",
            sign(spec().nonce(Derive.bytes(1025, "oversized", seed))))
        .fails("payload.nonce");
  }
}
