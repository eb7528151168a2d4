/**
 * Access to the Nitro Security Module (NSM), the enclave's source of attestation documents.
 *
 * <p>{@link dev.teec.enclave.nsm.Nsm} is the one interface the worker uses. {@link
 * dev.teec.enclave.nsm.DeviceNsm} talks to the real device ({@code /dev/nsm}, one ioctl per
 * request, CBOR messages encoded by {@link dev.teec.enclave.nsm.NsmCodec}); {@link
 * dev.teec.enclave.nsm.SimulatedNsm} signs documents of the same format under a local simulated
 * root, for builds outside an enclave and for tests. Nothing trusts the simulated root unless a
 * verifier is given it explicitly. SPEC.md section W4 defines the formats.
 */
package dev.teec.enclave.nsm;
