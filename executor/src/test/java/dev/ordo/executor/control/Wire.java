package dev.ordo.executor.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A raw test client: writes any bytes, reads reply lines with a time limit so that no test hangs. */
final class Wire implements AutoCloseable {

    static final String EOF = "<eof>";

    final SocketChannel ch;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    Wire(Path socket) throws IOException {
        ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        Thread t = new Thread(this::pump, "wire-reader");
        t.setDaemon(true);
        t.start();
    }

    private void pump() {
        ByteBuffer b = ByteBuffer.allocate(4096);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            while (ch.read(b.clear()) >= 0) {
                b.flip();
                while (b.hasRemaining()) {
                    byte c = b.get();
                    if (c == '\n') {
                        lines.add(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    } else {
                        line.write(c);
                    }
                }
            }
        } catch (IOException e) {
            // Closed: the same as an end of stream for the tests.
        }
        lines.add(EOF);
    }

    /** A client that sends {@code line} (a newline is added) and never reads: what it is sent piles up. */
    static SocketChannel deaf(Path socket, String line) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) ch.write(b);
        return ch;
    }

    Wire send(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) ch.write(b);
        return this;
    }

    Wire send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The next line, or fails after 5 s. */
    String next() throws InterruptedException {
        String s = lines.poll(5, TimeUnit.SECONDS);
        if (s == null) throw new AssertionError("no reply within 5 s");
        return s;
    }

    /** The next line, or null if none arrives within {@code millis}. */
    String poll(long millis) throws InterruptedException {
        return lines.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** True if nothing arrives within {@code millis}. */
    boolean quietFor(long millis) throws InterruptedException {
        return lines.poll(millis, TimeUnit.MILLISECONDS) == null;
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
