/**
 * Byte-stream transports for the wire protocol and the egress channel: loopback TCP and Unix domain
 * sockets for local use, AF_VSOCK (through JNA, since Java has no vsock support) inside Nitro.
 * Every transport yields {@link dev.teec.enclave.protocol.transport.Connection}s with independent,
 * concurrently usable input and output streams.
 */
package dev.teec.enclave.protocol.transport;
