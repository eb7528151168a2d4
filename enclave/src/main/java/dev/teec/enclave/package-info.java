/**
 * The build worker that runs inside the Nitro Enclave: runs the build behind a recording proxy,
 * hashes the outputs, writes the report and asks the NSM to attest it. Filled by the enclave issue;
 * the module exists so the layout is complete.
 */
package dev.teec.enclave;
