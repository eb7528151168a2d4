package dev.teec.enclave.nsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Exact bytes of the NSM messages, as serde_cbor writes them for the AWS NSM API types. */
class NsmCodecTest {
  private static final HexFormat HEX = HexFormat.of();

  // Text strings: 0x60 + length, then UTF-8.
  private static final String ATTESTATION = "6b" + ascii("Attestation");
  private static final String USER_DATA = "69" + ascii("user_data");
  private static final String NONCE = "65" + ascii("nonce");
  private static final String PUBLIC_KEY = "6a" + ascii("public_key");
  private static final String DOCUMENT = "68" + ascii("document");
  private static final String ERROR = "65" + ascii("Error");

  private static String ascii(String s) {
    return HEX.formatHex(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  private static byte[] hex(String s) {
    return HEX.parseHex(s.replace(" ", ""));
  }

  private static byte[] filled(int length, int value) {
    byte[] b = new byte[length];
    Arrays.fill(b, (byte) value);
    return b;
  }

  @Test
  void encodeRequest_noFields_writesNullForEach() {
    byte[] bytes = NsmCodec.encodeAttestationRequest(AttestationRequest.empty());

    assertThat(HEX.formatHex(bytes))
        .isEqualTo("a1" + ATTESTATION + "a3" + USER_DATA + "f6" + NONCE + "f6" + PUBLIC_KEY + "f6");
  }

  @Test
  void encodeRequest_allFields_writesByteStringsWithShortestHeads() {
    byte[] nonce = filled(24, 0xab);
    byte[] publicKey = filled(300, 0x01);
    byte[] bytes =
        NsmCodec.encodeAttestationRequest(
            new AttestationRequest(new byte[] {1, 2, 3}, nonce, publicKey));

    assertThat(HEX.formatHex(bytes))
        .isEqualTo(
            "a1"
                + ATTESTATION
                + "a3"
                + USER_DATA
                + "43010203"
                + NONCE
                + "5818"
                + "ab".repeat(24)
                + PUBLIC_KEY
                + "59012c"
                + "01".repeat(300));
  }

  @Test
  void encodeRequest_emptyUserData_writesEmptyByteString() {
    byte[] bytes =
        NsmCodec.encodeAttestationRequest(new AttestationRequest(new byte[0], null, null));

    assertThat(HEX.formatHex(bytes))
        .isEqualTo("a1" + ATTESTATION + "a3" + USER_DATA + "40" + NONCE + "f6" + PUBLIC_KEY + "f6");
  }

  @Test
  void encodeRequest_largestFields_fitsDriverLimit() {
    byte[] max = filled(AttestationRequest.MAX_FIELD_BYTES, 7);
    byte[] bytes = NsmCodec.encodeAttestationRequest(new AttestationRequest(max, max, max));

    assertThat(bytes.length).isEqualTo(3122).isLessThanOrEqualTo(NsmCodec.MAX_REQUEST_BYTES);
  }

  @Test
  void decodeRequest_encodedRequest_roundTrips() throws NsmException {
    AttestationRequest request = new AttestationRequest(new byte[] {1}, new byte[0], filled(65, 4));

    assertThat(NsmCodec.decodeAttestationRequest(NsmCodec.encodeAttestationRequest(request)))
        .isEqualTo(request);
  }

  @Test
  void decodeRequest_missingFields_readAsNull() throws NsmException {
    AttestationRequest r =
        NsmCodec.decodeAttestationRequest(hex("a1" + ATTESTATION + "a1" + NONCE + "4109"));

    assertThat(r).isEqualTo(new AttestationRequest(null, new byte[] {9}, null));
  }

  @Test
  void decodeRequest_unitVariant_isInvalidOperation() {
    NsmException e =
        catchThrowableOfType(
            NsmException.class,
            () -> NsmCodec.decodeAttestationRequest(hex("6b" + ascii("DescribeNSM"))));

    assertThat(e.errorCode()).contains(NsmErrorCode.INVALID_OPERATION);
    assertThat(e).hasMessageContaining("DescribeNSM");
  }

  @Test
  void decodeRequest_otherVariant_isInvalidOperation() {
    NsmException e =
        catchThrowableOfType(
            NsmException.class,
            () -> NsmCodec.decodeAttestationRequest(hex("a1 69" + ascii("ExtendPCR") + "a0")));

    assertThat(e.errorCode()).contains(NsmErrorCode.INVALID_OPERATION);
  }

  @Test
  void decodeRequest_unknownField_isInvalidArgument() {
    NsmException e =
        catchThrowableOfType(
            NsmException.class,
            () ->
                NsmCodec.decodeAttestationRequest(
                    hex("a1" + ATTESTATION + "a1 63" + ascii("foo") + "f6")));

    assertThat(e.errorCode()).contains(NsmErrorCode.INVALID_ARGUMENT);
    assertThat(e).hasMessageContaining("unknown field 'foo'");
  }

  @Test
  void decodeRequest_repeatedField_isInvalidArgument() {
    NsmException e =
        catchThrowableOfType(
            NsmException.class,
            () ->
                NsmCodec.decodeAttestationRequest(
                    hex("a1" + ATTESTATION + "a2" + NONCE + "f6" + NONCE + "f6")));

    assertThat(e).hasMessageContaining("'nonce' twice");
  }

  @Test
  void decodeRequest_textWhereBytesBelong_isInvalidArgument() {
    NsmException e =
        catchThrowableOfType(
            NsmException.class,
            () ->
                NsmCodec.decodeAttestationRequest(hex("a1" + ATTESTATION + "a1" + NONCE + "6161")));

    assertThat(e.errorCode()).contains(NsmErrorCode.INVALID_ARGUMENT);
    assertThat(e)
        .hasMessageContaining("'nonce' is a text string")
        .hasMessageContaining("expected a byte string or null");
  }

  @Test
  void decodeRequest_oversizedField_isInputTooLarge() {
    NsmException e =
        catchThrowableOfType(
            NsmException.class,
            () ->
                NsmCodec.decodeAttestationRequest(
                    hex("a1" + ATTESTATION + "a1" + USER_DATA + "590401" + "00".repeat(1025))));

    assertThat(e.errorCode()).contains(NsmErrorCode.INPUT_TOO_LARGE);
    assertThat(e).hasMessageContaining("user_data is 1025 bytes");
  }

  @Test
  void decodeRequest_overDriverLimit_isInputTooLarge() {
    NsmException e =
        catchThrowableOfType(
            NsmException.class,
            () -> NsmCodec.decodeAttestationRequest(new byte[NsmCodec.MAX_REQUEST_BYTES + 1]));

    assertThat(e.errorCode()).contains(NsmErrorCode.INPUT_TOO_LARGE);
  }

  @Test
  void encodeResponse_document_writesAttestationVariant() {
    byte[] bytes = NsmCodec.encodeAttestationResponse(new byte[] {(byte) 0x84, 0x40});

    assertThat(HEX.formatHex(bytes)).isEqualTo("a1" + ATTESTATION + "a1" + DOCUMENT + "428440");
  }

  @Test
  void encodeResponse_error_writesVariantNameAsText() {
    byte[] bytes = NsmCodec.encodeErrorResponse(NsmErrorCode.INVALID_ARGUMENT);

    assertThat(HEX.formatHex(bytes)).isEqualTo("a1" + ERROR + "6f" + ascii("InvalidArgument"));
  }

  @Test
  void decodeResponse_attestation_returnsDocument() throws NsmException {
    byte[] document = filled(5000, 0x5a);
    byte[] bytes = hex("a1" + ATTESTATION + "a1" + DOCUMENT + "591388" + "5a".repeat(5000));

    assertThat(NsmCodec.decodeAttestationResponse(bytes)).isEqualTo(document);
    assertThat(NsmCodec.encodeAttestationResponse(document)).isEqualTo(bytes);
  }

  @Test
  void decodeResponse_unknownBodyField_isSkipped() throws NsmException {
    byte[] bytes =
        hex("a1" + ATTESTATION + "a2 63" + ascii("new") + "a1 01 82 01 02" + DOCUMENT + "4101");

    assertThat(NsmCodec.decodeAttestationResponse(bytes)).containsExactly(1);
  }

  @Test
  void decodeResponse_indefiniteLengthMaps_areAccepted() throws NsmException {
    byte[] bytes = hex("bf" + ATTESTATION + "bf" + DOCUMENT + "4101 ff ff");

    assertThat(NsmCodec.decodeAttestationResponse(bytes)).containsExactly(1);
  }

  @ParameterizedTest
  @EnumSource(NsmErrorCode.class)
  void decodeResponse_error_throwsWithCode(NsmErrorCode code) {
    NsmException e =
        catchThrowableOfType(
            NsmException.class,
            () -> NsmCodec.decodeAttestationResponse(NsmCodec.encodeErrorResponse(code)));

    assertThat(e.errorCode()).contains(code);
    assertThat(e).hasMessage("NSM returned error " + code.wireName() + " (" + code.meaning() + ")");
  }

  @Test
  void decodeResponse_unknownErrorCode_namesIt() {
    NsmException e =
        catchThrowableOfType(
            NsmException.class,
            () -> NsmCodec.decodeAttestationResponse(hex("a1" + ERROR + "63" + ascii("Foo"))));

    assertThat(e).hasMessage("NSM returned an unknown error code 'Foo'");
    assertThat(e.errorCode()).isEmpty();
  }

  static Stream<Arguments> malformedResponses() {
    return Stream.of(
        Arguments.of("", "the response is the end of input at byte 0, expected a map"),
        Arguments.of("a0", "the response map is empty"),
        Arguments.of("80", "the response is an array"),
        Arguments.of(
            "67" + ascii("LockPCR"),
            "it is the unit variant LockPCR, expected Attestation or Error"),
        Arguments.of(
            "a1 69" + ascii("GetRandom") + "a0",
            "it is the variant 'GetRandom', expected Attestation or Error"),
        Arguments.of("a1" + ATTESTATION + "a0", "the Attestation response has no 'document'"),
        Arguments.of("a1" + ATTESTATION + "a1" + DOCUMENT + "40", "'document' is empty"),
        Arguments.of(
            "a1" + ATTESTATION + "a1" + DOCUMENT + "6161",
            "'document' is a text string at byte 23, expected a byte string"),
        Arguments.of("a1" + ATTESTATION + "a1" + DOCUMENT + "f6", "'document' is null"),
        Arguments.of(
            "a1" + ATTESTATION + "a2" + DOCUMENT + "4101" + DOCUMENT + "4102", "'document' twice"),
        Arguments.of(
            "a1" + ATTESTATION + "4101",
            "the Attestation response body is a byte string at byte 13, expected a map"),
        Arguments.of(
            "a1" + ATTESTATION + "a1" + DOCUMENT + "4101 00",
            "bytes follow the message at byte 25"),
        Arguments.of(
            "a2" + ATTESTATION + "a1" + DOCUMENT + "4101" + ERROR + "60",
            "the response map has more than one entry"),
        Arguments.of("d2 a1" + ATTESTATION + "a1" + DOCUMENT + "4101", "CBOR tag 18"),
        Arguments.of("a1" + ATTESTATION + "a1" + DOCUMENT + "42 01", "invalid CBOR"),
        Arguments.of("a1" + ERROR + "01", "the Error value is an integer"));
  }

  @ParameterizedTest
  @MethodSource("malformedResponses")
  void decodeResponse_malformed_throwsNamingTheProblem(String hexBytes, String expected) {
    assertThatThrownBy(() -> NsmCodec.decodeAttestationResponse(hex(hexBytes)))
        .isInstanceOf(NsmException.class)
        .hasMessageStartingWith("malformed NSM response: ")
        .hasMessageContaining(expected);
  }

  @Test
  void decodeResponse_overDriverLimit_isRefused() {
    assertThatThrownBy(
            () -> NsmCodec.decodeAttestationResponse(new byte[NsmCodec.MAX_RESPONSE_BYTES + 1]))
        .isInstanceOf(NsmException.class)
        .hasMessageContaining("12289 bytes, more than the 12288");
  }
}
