package io.hishel.servlet;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The warnings and errors logged while it is open, with the thread that logged them: Tomcat's,
 * through {@code java.util.logging}, and the cache's, through SLF4J's simple binding, which the
 * tests use and which writes to {@code System.err} as it is at the time of the call.
 */
final class LogCapture implements AutoCloseable {

    /** One warning or error; {@code exception} is the class of the throwable logged with it, or "". */
    record Event(String thread, String level, String logger, String message, String exception) {
        /** What two twins' events are compared by: not the message, which may name a port or a path. */
        String kind() {
            return level + " " + logger + " " + exception;
        }
    }

    /** slf4j-simple's line: {@code [thread] LEVEL logger - message}. */
    private static final Pattern SLF4J_LINE = Pattern.compile("^\\[([^\\]]+)\\] (WARN|ERROR) (\\S+) - (.*)$");
    private static final Pattern EXCEPTION_LINE = Pattern.compile("^([\\w$.]+(?:Exception|Error|Throwable))(?::.*)?$");

    private final List<Event> events = new ArrayList<>();
    private final Logger root = Logger.getLogger("");
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                Throwable thrown = record.getThrown();
                add(new Event(Thread.currentThread().getName(), record.getLevel().getName(), record.getLoggerName(),
                        String.valueOf(record.getMessage()), thrown == null ? "" : thrown.getClass().getName()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final PrintStream originalErr = System.err;
    private final LineSplitter lines = new LineSplitter();

    LogCapture() {
        root.addHandler(handler);
        System.setErr(new PrintStream(new TeeStream(), true, StandardCharsets.UTF_8));
    }

    /** The events logged by threads whose names start with the prefix, since the last call. */
    synchronized List<Event> drain(String threadPrefix) {
        List<Event> drained = new ArrayList<>();
        events.removeIf(event -> {
            if (event.thread().startsWith(threadPrefix)) {
                drained.add(event);
                return true;
            }
            return false;
        });
        return drained;
    }

    synchronized void clear() {
        events.clear();
    }

    private synchronized void add(Event event) {
        events.add(event);
    }

    /** The exception printed right after a log line belongs to it. */
    private synchronized void line(String line) {
        Matcher logged = SLF4J_LINE.matcher(line);
        if (logged.matches()) {
            events.add(new Event(logged.group(1), logged.group(2), logged.group(3), logged.group(4), ""));
            return;
        }
        Matcher exception = EXCEPTION_LINE.matcher(line);
        if (exception.matches() && !events.isEmpty()) {
            Event last = events.get(events.size() - 1);
            if (last.exception().isEmpty() && !last.logger().startsWith("org.apache")) {
                events.set(events.size() - 1, new Event(last.thread(), last.level(), last.logger(), last.message(),
                        exception.group(1)));
            }
        }
    }

    @Override
    public void close() {
        System.setErr(originalErr);
        root.removeHandler(handler);
    }

    private final class TeeStream extends OutputStream {
        @Override
        public void write(int b) {
            originalErr.write(b);
            lines.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            originalErr.write(bytes, offset, length);
            for (int i = offset; i < offset + length; i++) {
                lines.write(bytes[i]);
            }
        }

        @Override
        public void flush() {
            originalErr.flush();
        }
    }

    private final class LineSplitter {
        private final ByteArrayOutputStream current = new ByteArrayOutputStream();

        synchronized void write(int b) {
            if (b == '\n') {
                line(current.toString(StandardCharsets.UTF_8).stripTrailing());
                current.reset();
            } else {
                current.write(b);
            }
        }
    }
}
