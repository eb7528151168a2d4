/**
 * The egress channel (SPEC.md W9): how the worker's recording proxy reaches upstream hosts from
 * inside a Nitro Enclave, which has no network. The enclave asks the host's {@link
 * dev.teec.enclave.protocol.egress.EgressForwarder} over vsock for one host and port; the forwarder
 * checks its {@link dev.teec.enclave.protocol.egress.EgressAllowlist}, connects, and then relays
 * raw bytes, over which the enclave runs TLS end to end with the upstream host.
 */
package dev.teec.enclave.protocol.egress;
