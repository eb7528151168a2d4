package dev.teec.enclave.protocol;

/** The forwarder connected upstream; from the next byte on, the connection relays raw bytes. */
public record EgressOk() implements Frame {

  @Override
  public FrameType frameType() {
    return FrameType.EGRESS_OK;
  }
}
