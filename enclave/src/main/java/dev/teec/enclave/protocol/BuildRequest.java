package dev.teec.enclave.protocol;

/**
 * What to build; the client's second frame. The source archive follows as {@link SourceChunk}s and
 * a {@link SourceEnd}, and the worker checks them against the announced size and digest.
 *
 * @param buildJson the build.json bytes exactly as the client has them (the worker validates the
 *     content), 1..65536 bytes
 * @param nonce the client's fresh random nonce for the attestation document, 16..64 bytes
 * @param sourceArchiveSize length of the source archive, 0..{@link Protocol#MAX_SOURCE_BYTES}
 * @param sourceArchiveSha256 SHA-256 of the source archive
 * @param sourceMetadata where the source came from
 */
public record BuildRequest(
    ByteString buildJson,
    ByteString nonce,
    long sourceArchiveSize,
    ByteString sourceArchiveSha256,
    SourceMetadata sourceMetadata)
    implements Frame {

  /** Checks the limits. */
  public BuildRequest {
    FieldCheck.bytes(buildJson, 1, Protocol.MAX_BUILD_JSON_BYTES, "build_request.build_json");
    FieldCheck.bytes(
        nonce, Protocol.MIN_NONCE_BYTES, Protocol.MAX_NONCE_BYTES, "build_request.nonce");
    FieldCheck.range(
        sourceArchiveSize, 0, Protocol.MAX_SOURCE_BYTES, "build_request.source_archive_size");
    FieldCheck.sha256(sourceArchiveSha256, "build_request.source_archive_sha256");
    FieldCheck.present(sourceMetadata, "build_request.source_metadata");
  }

  @Override
  public FrameType frameType() {
    return FrameType.BUILD_REQUEST;
  }
}
