/**
 * The host-side build client ({@code teec build}): selects and packs the source, starts a Nitro
 * Enclave (or a local worker with a simulated NSM), sends the source in, and saves the attested
 * bundle that comes back only after checking it.
 */
package dev.teec.builder;
