package dev.teec.enclave.protocol;

/**
 * One line of build output, streamed while the build runs. By convention {@code line} is one line
 * without its terminator, but receivers must not rely on that: it is untrusted text and may contain
 * control characters (a client should neutralise them before printing).
 *
 * @param stream where the line comes from
 * @param line the text, at most {@link Protocol#MAX_LOG_LINE_BYTES} UTF-8 bytes, may be empty
 */
public record LogLine(LogStream stream, String line) implements Frame {

  /** Checks the limits. */
  public LogLine {
    FieldCheck.present(stream, "log.stream");
    FieldCheck.text(line, Protocol.MAX_LOG_LINE_BYTES, "log.line");
  }

  /**
   * A log line from arbitrary text: unpaired surrogates become U+FFFD and text longer than the
   * limit is cut at a character boundary and ended with "...". Never throws for non-null input.
   */
  public static LogLine fitting(LogStream stream, String text) {
    return new LogLine(stream, FieldCheck.fitUtf8(text, Protocol.MAX_LOG_LINE_BYTES));
  }

  @Override
  public FrameType frameType() {
    return FrameType.LOG;
  }
}
