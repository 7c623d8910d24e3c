package dev.ordo.executor.control;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One client of the {@link ControlServer}: a reader thread parses its requests and hands them to the
 * {@link RequestHandler}, a writer thread drains its bounded queue of replies. Its pending requests are
 * guarded by the connection itself ({@code synchronized (this)}), as they were when it was an inner class.
 */
final class ClientConnection {

    private static final byte[] END = new byte[0];

    final long id;
    final SocketChannel ch;
    final UserPrincipal peer;
    final BlockingQueue<byte[]> out;
    final Thread reader;
    final Thread writer;
    final AtomicBoolean gone = new AtomicBoolean();
    final AtomicBoolean ending = new AtomicBoolean();
    final Map<Long, Answer> pending = new HashMap<>();
    boolean inputDone;
    private final ControlServer.Limits options;
    private final RequestHandler handler;
    private final Consumer<String> log;
    /** Takes the connection out of the server's table; run once, when it is gone. */
    private final Runnable forget;

    ClientConnection(long id, SocketChannel ch, UserPrincipal peer, ControlServer.Limits options,
                     RequestHandler handler, Consumer<String> log, Runnable forget) {
        this.id = id;
        this.ch = ch;
        this.peer = peer;
        this.options = options;
        this.handler = handler;
        this.log = log;
        this.forget = forget;
        this.out = new ArrayBlockingQueue<>(options.maxQueuedReplies() + 1);
        this.reader = new Thread(this::read, "ordo-control-" + id + "-read");
        this.writer = new Thread(this::write, "ordo-control-" + id + "-write");
        reader.setDaemon(true);
        writer.setDaemon(true);
    }

    void start() {
        writer.start();
        reader.start();
    }

    void read() {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        byte[] line = new byte[1024];
        int len = 0;
        boolean overlong = false;
        try {
            while (!gone.get() && !ending.get()) {
                buf.clear();
                if (ch.read(buf) < 0) break;
                buf.flip();
                while (buf.hasRemaining()) {
                    byte b = buf.get();
                    if (b == '\n') {
                        if (overlong) {
                            overlong = false;
                        } else {
                            request(line, len);
                        }
                        len = 0;
                        if (ending.get()) return;
                        continue;
                    }
                    if (overlong) continue;
                    if (len == options.maxRequestBytes()) {
                        send(ControlReply.error(null, "request is longer than " + options.maxRequestBytes()
                                + " bytes; closing the connection"));
                        log.accept("control: closed a connection that sent an oversize request");
                        end();
                        return;
                    }
                    if (len == line.length) line = java.util.Arrays.copyOf(line, Math.min(line.length * 2,
                            options.maxRequestBytes()));
                    line[len++] = b;
                }
            }
            if (len > 0 && !gone.get() && !ending.get()) request(line, len);
            inputEnded();
        } catch (IOException e) {
            abort();
        }
    }

    private void request(byte[] line, int len) {
        if (len > 0 && line[len - 1] == '\r') len--;
        if (isBlank(line, len)) return;
        Protocol.Parsed p = Protocol.parseRequest(line, len);
        if (p.request() == null) {
            send(ControlReply.error(p.id(), p.error()));
            return;
        }
        ControlRequest r = p.request();
        Answer a = new Answer(r);
        synchronized (this) {
            if (pending.containsKey(r.id())) {
                send(ControlReply.error(r.id(), "request " + r.id() + " is still being answered on this connection"));
                return;
            }
            if (pending.size() >= options.maxPending()) {
                send(ControlReply.error(r.id(), "too many requests in flight (" + options.maxPending() + ")"));
                return;
            }
            pending.put(r.id(), a);
        }
        try {
            handler.handle(r, a);
        } catch (RuntimeException e) {
            log.accept("control: the handler failed on `" + r.cmd().word() + "`: " + e);
            a.error("internal error in ordo: " + e.getClass().getSimpleName());
        }
    }

    private static boolean isBlank(byte[] b, int len) {
        for (int i = 0; i < len; i++) if (b[i] != ' ' && b[i] != '\t') return false;
        return true;
    }

    /** The client will send no more: streams end; the rest are still answered, then it is closed. */
    private void inputEnded() {
        List<Answer> streams = new ArrayList<>();
        synchronized (this) {
            inputDone = true;
            for (Answer a : pending.values()) if (a.request.follow()) streams.add(a);
        }
        for (Answer a : streams) a.ok("");
        synchronized (this) {
            if (pending.isEmpty()) end();
        }
    }

    void write() {
        try {
            while (true) {
                byte[] b = out.take();
                if (b == END) break;
                ByteBuffer bb = ByteBuffer.wrap(b);
                while (bb.hasRemaining()) ch.write(bb);
            }
        } catch (IOException e) {
            // The client went away: nothing more to send.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        abort();
    }

    void send(ControlReply r) {
        if (gone.get()) return;
        if (!out.offer(Protocol.encode(r))) {
            log.accept("control: cut off user " + peer.getName() + ": " + options.maxQueuedReplies()
                    + " replies unread");
            abort();
        }
    }

    /** Closes after what is queued has been written. */
    void end() {
        if (ending.compareAndSet(false, true)) {
            // The queue has one place more than replies may use, kept for this.
            if (!out.offer(END)) abort();
        }
    }

    void shutdown(String why) {
        List<Answer> open;
        synchronized (this) {
            open = new ArrayList<>(pending.values());
        }
        for (Answer a : open) a.error(why);
        end();
    }

    void abort() {
        if (!gone.compareAndSet(false, true)) return;
        ControlServer.quietly(ch);
        out.clear();
        out.offer(END);
        forget.run();
        List<Answer> open;
        synchronized (this) {
            open = new ArrayList<>(pending.values());
            pending.clear();
        }
        for (Answer a : open) a.closed();
    }

    void done(Answer a) {
        synchronized (this) {
            pending.remove(a.request.id());
            if (inputDone && pending.isEmpty()) end();
        }
    }

    /** The responder of one request. */
    private final class Answer implements Responder {
        final ControlRequest request;
        final AtomicBoolean answered = new AtomicBoolean();
        final List<Runnable> onClose = new ArrayList<>();
        boolean closeRan;

        Answer(ControlRequest request) {
            this.request = request;
        }

        @Override
        public long id() {
            return request.id();
        }

        @Override
        public UserPrincipal peer() {
            return peer;
        }

        @Override
        public void line(String text) {
            if (!answered.get()) send(ControlReply.line(request.id(), text == null ? "" : text));
        }

        @Override
        public void ok(String text) {
            finish(ControlReply.ok(request.id(), text == null ? "" : text));
        }

        @Override
        public void error(String message) {
            finish(ControlReply.error(request.id(), message == null ? "failed" : message));
        }

        private void finish(ControlReply r) {
            if (!answered.compareAndSet(false, true)) return;
            send(r);
            done(this);
            closed();
        }

        @Override
        public boolean open() {
            return !answered.get() && !gone.get();
        }

        @Override
        public void onClose(Runnable action) {
            boolean now;
            synchronized (this) {
                now = closeRan;
                if (!now) onClose.add(action);
            }
            if (now) action.run();
        }

        void closed() {
            List<Runnable> run;
            synchronized (this) {
                if (closeRan) return;
                closeRan = true;
                run = new ArrayList<>(onClose);
                onClose.clear();
            }
            answered.set(true);
            for (Runnable r : run) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    log.accept("control: a close action failed: " + e);
                }
            }
        }
    }
}
