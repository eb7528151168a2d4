/**
 * The build worker that runs inside the Nitro Enclave: runs the build behind a recording proxy,
 * hashes the outputs, writes the report and the bundle (in the formats of {@code dev.teec.formats})
 * and asks the NSM to attest the report.
 */
package dev.teec.enclave;
