/**
 * The build worker: ties build.json, the build runner, the recording proxy, the report, DSSE, the
 * NSM and the bundle together into one attested build. Transport-independent; the wire protocol
 * drives it.
 */
package dev.teec.enclave.worker;
