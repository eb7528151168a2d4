/**
 * The recording forward proxy every network request of a build goes through (SPEC.md W7).
 *
 * <p>Typical use by the worker:
 *
 * <pre>{@code
 * ProxyCa ca = ProxyCa.generate(new SecureRandom(), clock);
 * try (RecordingProxy proxy = RecordingProxy.builder(ca)
 *     .allowlist(HostAllowlist.of("repo.maven.apache.org"))
 *     .connector(connector)            // TCP locally, the vsock egress channel in Nitro
 *     .start()) {
 *   Map<String, String> env = ToolchainEnvironment.write(ca, proxy.address(), trustDir);
 *   // run the build with env added to its environment
 *   List<NetworkRecord> records = new ArrayList<>(proxy.records());
 *   records.sort(NetworkRecord.CANONICAL_ORDER);
 * }
 * }</pre>
 */
package dev.teec.enclave.proxy;
