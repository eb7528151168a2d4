package dev.teec.enclave.protocol;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Counts and hashes streamed data against an announced size and SHA-256 (SPEC.md W8.5). Data beyond
 * the announced size is refused at the chunk that exceeds it, not at the end.
 */
final class StreamVerifier {

    private final String what;
    private final long expectedSize;
    private final Bytes expectedSha256;
    private final MessageDigest digest;
    private long received;

    StreamVerifier(String what, long expectedSize, Bytes expectedSha256) {
        this.what = what;
        this.expectedSize = expectedSize;
        this.expectedSha256 = expectedSha256;
        this.digest = sha256();
    }

    void add(Bytes chunk) throws ProtocolException {
        if (chunk.size() > expectedSize - received) {
            throw new ProtocolException(ErrorCode.SIZE_MISMATCH, what + " exceeds its announced size of "
                    + expectedSize + " bytes (" + (received + chunk.size()) + " bytes received)");
        }
        received += chunk.size();
        chunk.updateDigest(digest);
    }

    StreamDigest finish() throws ProtocolException {
        if (received != expectedSize) {
            throw new ProtocolException(ErrorCode.SIZE_MISMATCH,
                    what + " ended after " + received + " bytes, " + expectedSize + " were announced");
        }
        Bytes actual = Bytes.wrap(digest.digest());
        if (!actual.equals(expectedSha256)) {
            throw new ProtocolException(ErrorCode.DIGEST_MISMATCH, what + " has SHA-256 " + actual.hex()
                    + ", " + expectedSha256.hex() + " was announced");
        }
        return new StreamDigest(received, actual);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
