/**
 * The build client: one build from packed source to a checked bundle on disk ({@link
 * dev.teec.builder.client.BuildClient}), and the checks a returned bundle must pass before it is
 * written ({@link dev.teec.builder.client.ReturnedBundleCheck}).
 */
package dev.teec.builder.client;
