/**
 * build.json: the strict parser ({@link dev.teec.formats.buildspec.BuildSpec#parse(byte[])}), the
 * supported languages with their package registries, and output-path globs. Format in the spec part
 * "W1. build.json".
 */
package dev.teec.formats.buildspec;
