package io.seatledger.client;

import java.io.BufferedReader;
import java.io.IOException;

/**
 * Reads server-sent events (the WHATWG event-stream format) from a text stream, one message or comment per
 * {@link #next()}: {@code data} lines are joined with newlines, {@code event} names the type, {@code id} sets the last
 * event id (taken when a message ends, kept across messages as the format says, and ignored when it holds a NUL), {@code retry} sets the
 * reconnection delay, lines starting with a colon are comments, unknown fields are ignored, and a message without
 * data is not dispatched. Line ends may be CRLF, LF or CR (the reader splits them).
 */
final class SseReader {

    /** A dispatched message (comment null) or a comment (type and data null). */
    record Message(String id, String type, String data, String comment) {
        boolean isComment() {
            return comment != null;
        }
    }

    /** The most line ends {@link #nextHasArrived} looks past. */
    private static final int LOOK_AHEAD = 16;

    private final BufferedReader lines;
    private final StringBuilder data = new StringBuilder();
    private String type;
    private String idBuffer;
    private String lastEventId;
    private long retryMillis = -1;

    SseReader(BufferedReader lines, String lastEventId) {
        this.lines = lines;
        this.lastEventId = lastEventId;
        this.idBuffer = lastEventId;
    }

    /** The next message or comment, or null when the stream ended (an unfinished message at the end is dropped). */
    Message next() throws IOException {
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.isEmpty()) {
                lastEventId = idBuffer;
                if (data.length() > 0) {
                    data.setLength(data.length() - 1);
                    Message message = new Message(lastEventId, type == null || type.isEmpty() ? "message" : type, data.toString(), null);
                    data.setLength(0);
                    type = null;
                    return message;
                }
                type = null;
                continue;
            }
            if (line.charAt(0) == ':') {
                return new Message(lastEventId, null, null, line.substring(line.length() > 1 && line.charAt(1) == ' ' ? 2 : 1));
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1 < line.length() && line.charAt(colon + 1) == ' ' ? colon + 2 : colon + 1);
            switch (field) {
                case "data" -> data.append(value).append('\n');
                case "event" -> type = value;
                case "id" -> {
                    if (value.indexOf('\0') < 0) {
                        idBuffer = value;
                    }
                }
                case "retry" -> {
                    if (!value.isEmpty() && value.length() < 19 && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                        retryMillis = Long.parseLong(value);
                    }
                }
                default -> {
                    // unknown fields are ignored
                }
            }
        }
        return null;
    }

    /**
     * Whether the next message or comment has begun to arrive already (more than the line ends of the last one are
     * buffered), so that reading it does not wait for the stream.
     */
    boolean nextHasArrived() throws IOException {
        if (!lines.ready()) {
            return false;
        }
        lines.mark(LOOK_AHEAD);
        try {
            for (int i = 0; i < LOOK_AHEAD && lines.ready(); i++) {
                int c = lines.read();
                if (c < 0) {
                    return false;
                }
                if (c != '\n' && c != '\r') {
                    return true;
                }
            }
            return false;
        } finally {
            lines.reset();
        }
    }

    /** The last event id the stream set (resume with it as {@code Last-Event-ID}), or null. */
    String lastEventId() {
        return lastEventId;
    }

    /** The reconnection delay the stream asked for in milliseconds, or -1 when it named none. */
    long retryMillis() {
        return retryMillis;
    }
}
