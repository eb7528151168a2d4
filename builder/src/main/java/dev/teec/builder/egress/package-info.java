/**
 * The host side of the enclave's network: the egress forwarder on the parent instance, with an
 * allowlist that defaults to the build language's package registries.
 */
package dev.teec.builder.egress;
