/**
 * Bounded, strict JSON and CBOR readers ({@link dev.teec.json.BoundedJson}, {@link
 * dev.teec.json.BoundedCbor}) with their {@link dev.teec.json.JsonLimits}: what every teec reader
 * of JSON or CBOR input is built from.
 */
package dev.teec.json;
