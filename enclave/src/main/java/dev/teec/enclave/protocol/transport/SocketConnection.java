package dev.teec.enclave.protocol.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** A {@link Connection} over a connected TCP socket. */
final class SocketConnection implements Connection {

    private final Socket socket;
    private final InputStream input;
    private final OutputStream output;
    private final String peer;

    SocketConnection(Socket socket) throws IOException {
        this.socket = socket;
        // Frames are written whole and flushed; without this, small frames (log lines) would wait
        // for Nagle's algorithm.
        socket.setTcpNoDelay(true);
        this.input = socket.getInputStream();
        this.output = socket.getOutputStream();
        this.peer = "tcp:" + socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
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
        socket.shutdownOutput();
    }

    @Override
    public String peer() {
        return peer;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    @Override
    public String toString() {
        return "Connection[" + peer + "]";
    }
}
