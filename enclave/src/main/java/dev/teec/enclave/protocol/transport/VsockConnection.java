package dev.teec.enclave.protocol.transport;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/** A {@link Connection} over a connected vsock stream socket. */
final class VsockConnection implements Connection {

    /** Largest single recv/send; bounds the scratch copy JNA needs for array slices. */
    private static final int MAX_IO = 64 * 1024;

    private final VsockLibc libc;
    private final VsockFd fd;
    private final String peer;
    private final InputStream input = new InputStream() {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            return receive(b, off, len);
        }

        @Override
        public void close() {
            VsockConnection.this.close();
        }
    };
    private final OutputStream output = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            sendAll(b, off, len);
        }

        @Override
        public void close() {
            VsockConnection.this.close();
        }
    };

    VsockConnection(VsockLibc libc, int fd, String peer) {
        this.libc = libc;
        this.fd = new VsockFd(libc, fd);
        this.peer = peer;
    }

    private int receive(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int want = Math.min(len, MAX_IO);
        byte[] target = off == 0 ? b : new byte[want];
        int descriptor = fd.begin();
        try {
            while (true) {
                try {
                    long n = libc.recv(descriptor, target, want, 0);
                    if (n == 0) {
                        return -1;
                    }
                    if (target != b) {
                        System.arraycopy(target, 0, b, off, (int) n);
                    }
                    return (int) n;
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != Vsock.EINTR) {
                        throw Vsock.failure("recv(" + peer + ")", e);
                    }
                }
            }
        } finally {
            fd.end();
        }
    }

    private void sendAll(byte[] b, int off, int len) throws IOException {
        int descriptor = fd.begin();
        try {
            int done = 0;
            while (done < len) {
                int n = Math.min(len - done, MAX_IO);
                byte[] slice = off + done == 0 && n == b.length ? b : Arrays.copyOfRange(b, off + done, off + done + n);
                try {
                    done += (int) libc.send(descriptor, slice, n, Vsock.MSG_NOSIGNAL);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != Vsock.EINTR) {
                        throw Vsock.failure("send(" + peer + ")", e);
                    }
                }
            }
        } finally {
            fd.end();
        }
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public void shutdownOutput() throws IOException {
        int descriptor = fd.begin();
        try {
            libc.shutdown(descriptor, Vsock.SHUT_WR);
        } catch (LastErrorException e) {
            throw Vsock.failure("shutdown(" + peer + ")", e);
        } finally {
            fd.end();
        }
    }

    @Override
    public String peer() {
        return peer;
    }

    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return "Connection[" + peer + "]";
    }
}
