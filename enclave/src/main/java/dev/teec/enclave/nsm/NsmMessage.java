package dev.teec.enclave.nsm;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * The ioctl argument, {@code struct nsm_message { struct iovec request; struct iovec response; }}
 * (the kernel's {@code struct nsm_raw} has the same layout with {@code __u64} members): four 8-byte
 * members on 64-bit Linux, 32 bytes in all. The driver reads both iovecs and writes the response
 * length back into {@code response.iov_len}.
 *
 * <p>Public only because JNA reads and writes the fields by reflection; it can be made only inside
 * this package, and only {@link DeviceNsm} uses it.
 */
@Structure.FieldOrder({"requestBase", "requestLength", "responseBase", "responseLength"})
public final class NsmMessage extends Structure {
  /** {@code sizeof(struct nsm_message)} on 64-bit Linux; part of the ioctl number. */
  public static final int SIZE = 32;

  /** {@code request.iov_base}: the CBOR request. */
  public Pointer requestBase;

  /** {@code request.iov_len}. */
  public long requestLength;

  /** {@code response.iov_base}: the buffer the driver writes the CBOR response into. */
  public Pointer responseBase;

  /** {@code response.iov_len}: the buffer's capacity before the call, the response length after. */
  public long responseLength;

  NsmMessage(Pointer request, long requestLength, Pointer response, long responseLength) {
    this.requestBase = request;
    this.requestLength = requestLength;
    this.responseBase = response;
    this.responseLength = responseLength;
  }

  /** The byte offset of {@code field}, as JNA lays it out. */
  int offsetOf(String field) {
    return fieldOffset(field);
  }
}
