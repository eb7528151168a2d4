/**
 * How teec reaches upstream hosts: one {@link dev.teec.enclave.protocol.egress.UpstreamConnector}
 * interface, implemented by direct TCP ({@link
 * dev.teec.enclave.protocol.egress.TcpUpstreamConnector}) and by the egress channel (SPEC.md W9),
 * through which the worker's recording proxy reaches the network from inside a Nitro Enclave, which
 * has none. The enclave asks the host's {@link dev.teec.enclave.protocol.egress.EgressForwarder}
 * over vsock for one host and port; the forwarder checks its {@link
 * dev.teec.enclave.protocol.egress.EgressAllowlist}, connects, and then relays raw bytes, over
 * which the enclave runs TLS end to end with the upstream host.
 */
package dev.teec.enclave.protocol.egress;
