/**
 * The worker/client wire protocol (SPEC.md W8): length-prefixed CBOR frames ({@link
 * dev.teec.enclave.protocol.FrameCodec}), the frame types ({@link dev.teec.enclave.protocol.Frame}
 * and its records), and the two state machines that enforce frame order and verify streamed data
 * ({@link dev.teec.enclave.protocol.WorkerSession}, {@link
 * dev.teec.enclave.protocol.ClientSession}).
 *
 * <p>Byte streams come from {@link dev.teec.enclave.protocol.transport}; the enclave's outbound
 * network channel (SPEC.md W9) lives in {@link dev.teec.enclave.protocol.egress}.
 */
package dev.teec.enclave.protocol;
