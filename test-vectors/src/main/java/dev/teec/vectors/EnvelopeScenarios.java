package dev.teec.vectors;

import dev.teec.generator.CborWriter;
import dev.teec.generator.CoseSign1;
import java.util.Arrays;

/** Documents broken in their COSE_Sign1 envelope or its CBOR encoding. */
final class EnvelopeScenarios extends ScenarioGroup {
  EnvelopeScenarios(Shared shared) {
    super(shared);
  }

  @Override
  void add() {
    CoseSign1 env = envelope(spec());
    byte[] padded =
        env.withUnprotectedHeader(
                CborWriter.map(
                    CborWriter.entry("teec_padding", CborWriter.bytes(new byte[33 * 1024]))))
            .encode();
    scenario(
            "oversized-document",
            "A correctly signed document padded past 32 KiB (in the unprotected header);"
                + " it must be refused before any parsing.",
            padded)
        .fails("input.size");
    scenario(
            "trailing-bytes",
            "One 0x00 byte follows the COSE_Sign1 item; a document is exactly one CBOR item.",
            env.withTrailingBytes(new byte[] {0}).encode())
        .fails("cbor.well_formed");
    scenario(
            "duplicate-map-key-outer",
            "The unprotected header map has key 4 (kid) twice; duplicate keys make"
                + " the CBOR invalid, whatever map they are in.",
            env.withUnprotectedHeader(
                    CborWriter.map(
                        CborWriter.entry(4, CborWriter.bytes(new byte[] {1})),
                        CborWriter.entry(4, CborWriter.bytes(new byte[] {2}))))
                .encode())
        .fails("cbor.well_formed");
    scenario(
            "tag-other-than-18",
            "The COSE_Sign1 array is wrapped in tag 98 (COSE_Sign) instead of 18.",
            env.withTags(98).encode())
        .fails("cbor.tags");
    scenario(
            "nested-tag",
            "The COSE_Sign1 array is wrapped in tag 18 twice.",
            env.withTags(18, 18).encode())
        .fails("cbor.tags");
    scenario(
            "tag-in-unprotected-header",
            "The unprotected header holds a tagged value (tag 1); no tag may appear"
                + " inside the envelope.",
            env.withUnprotectedHeader(
                    CborWriter.map(
                        CborWriter.entry(
                            "teec_time",
                            CborWriter.tagged(1, CborWriter.integer(base.getEpochSecond())))))
                .encode())
        .fails("cbor.tags");
    scenario(
            "cose-array-of-three",
            "The COSE_Sign1 array lacks its signature: [protected, unprotected, payload].",
            CborWriter.array(
                    CborWriter.bytes(env.protectedHeader()),
                    CborWriter.map(),
                    CborWriter.bytes(env.payload()))
                .encode())
        .fails("cose.structure");
    scenario(
            "wrong-alg-es256",
            "The protected header says alg -7 (ES256) instead of -35 (ES384); the document is"
                + " otherwise signed correctly over that header.",
            sign(
                spec()
                    .protectedHeader(CborWriter.map(CborWriter.entry(1, CborWriter.integer(-7))))))
        .fails("cose.algorithm");
    scenario(
            "duplicate-map-key-protected",
            "The protected header map has alg (1: -35) twice.",
            sign(
                spec()
                    .protectedHeader(
                        CborWriter.map(
                            CborWriter.entry(1, CborWriter.integer(-35)),
                            CborWriter.entry(1, CborWriter.integer(-35))))))
        .fails("cose.algorithm");
    scenario(
            "unprotected-not-map",
            "The unprotected header is an empty array instead of a map.",
            env.withUnprotectedHeader(CborWriter.array()).encode())
        .fails("cose.unprotected");
    scenario(
            "payload-too-large",
            "The payload is larger than 16 KiB (an unknown key holds 16 KiB), while the"
                + " document stays under 32 KiB.",
            sign(spec().extraEntry("teec_padding", CborWriter.bytes(new byte[16 * 1024]))))
        .fails("cose.payload");
    byte[] protectedItem = CborWriter.bytes(env.protectedHeader()).encode();
    byte[] unprotectedItem = CborWriter.map().encode();
    byte[] payloadItem = CborWriter.bytes(env.payload()).encode();
    byte[] signatureItem = CborWriter.bytes(env.signature()).encode();
    scenario(
            "indefinite-outer-array",
            "The COSE_Sign1 array uses indefinite length (0x9f ... 0xff); only the"
                + " payload map may be indefinite, as in NSM documents from 2025 on.",
            concat(
                new byte[] {(byte) 0x9f},
                protectedItem,
                unprotectedItem,
                payloadItem,
                signatureItem,
                new byte[] {(byte) 0xff}))
        .fails("cbor.well_formed");
    int half = env.payload().length / 2;
    scenario(
            "chunked-payload-bytes",
            "The payload byte string is sent as two indefinite-length chunks"
                + " (0x5f ... 0xff); real documents never chunk, so a verifier need not reassemble.",
            concat(
                new byte[] {(byte) 0x84},
                protectedItem,
                unprotectedItem,
                new byte[] {0x5f},
                CborWriter.bytes(Arrays.copyOfRange(env.payload(), 0, half)).encode(),
                CborWriter.bytes(Arrays.copyOfRange(env.payload(), half, env.payload().length))
                    .encode(),
                new byte[] {(byte) 0xff},
                signatureItem))
        .fails("cbor.well_formed");
    scenario(
            "non-shortest-array-head",
            "The COSE_Sign1 array head is 0x98 0x04 instead of 0x84: the same"
                + " length in a longer form, which strict decoding refuses.",
            concat(
                new byte[] {(byte) 0x98, 0x04},
                protectedItem,
                unprotectedItem,
                payloadItem,
                signatureItem))
        .fails("cbor.well_formed");
    scenario(
            "crit-header-unknown-label",
            "The protected header marks label 99 as critical (crit, label 2);"
                + " RFC 9052 requires rejecting critical headers the verifier does not process.",
            sign(
                spec()
                    .protectedHeader(
                        CborWriter.map(
                            CborWriter.entry(1, CborWriter.integer(-35)),
                            CborWriter.entry(2, CborWriter.array(CborWriter.integer(99))),
                            CborWriter.entry(99, CborWriter.integer(1))))))
        .fails("cose.algorithm");
    scenario(
            "signature-95-bytes",
            "The signature is cut to 95 bytes; ES384 signatures are exactly 96 (r||s).",
            env.withSignature(Arrays.copyOf(env.signature(), 95)).encode())
        .fails("cose.signature_length");
  }
}
