package io.seatledger.client;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A tiny HTTP service in the test's process (the JDK's HttpServer): answers scripted per method and path (the last
 * one repeats), records every request, and serves live streams whose lines the test pushes.
 */
final class FakeService implements AutoCloseable {

    /** A request as the service saw it. */
    record Seen(String method, String path, String query, Headers headers, String body) {
        String header(String name) {
            return headers.getFirst(name);
        }
    }

    /** A scripted answer. */
    record Answer(int status, Map<String, String> headers, String body) {
        static Answer json(int status, String body) {
            return new Answer(status, Map.of("Content-Type", "application/json"), body);
        }

        static Answer problem(int status, String code, Map<String, String> headers) {
            Map<String, String> all = new java.util.HashMap<>(headers);
            all.put("Content-Type", "application/problem+json");
            return new Answer(status, all, "{\"type\":\"https://seatledger.io/problems/x\",\"status\":" + status + ",\"code\":\"" + code
                    + "\",\"detail\":\"scripted\",\"requestId\":\"req-1\"}");
        }
    }

    /** One open live stream: the test pushes raw text; {@link #end()} finishes the response. */
    static final class Stream {
        private static final String END = "\u0000end";
        final Seen request;
        private final BlockingQueue<String> chunks = new LinkedBlockingQueue<>();

        Stream(Seen request) {
            this.request = request;
        }

        Stream send(String text) {
            chunks.add(text);
            return this;
        }

        /** One message: {@code id}, {@code event} and one data line. */
        Stream message(long id, String event, String data) {
            return send("id: " + id + "\nevent: " + event + "\ndata: " + data + "\n\n");
        }

        void end() {
            chunks.add(END);
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final BlockingQueue<Stream> streams = new LinkedBlockingQueue<>();
    private volatile Answer streamRefusal;
    private final Map<String, java.time.Duration> delays = new ConcurrentHashMap<>();

    FakeService() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Scripts the answers to {@code METHOD /api/v1/path} in order; the last repeats. */
    FakeService on(String method, String path, Answer... scripted) {
        answers.put(method + " /api/v1" + path, new ArrayDeque<>(List.of(scripted)));
        return this;
    }

    /** Answers {@code METHOD /api/v1/path} only after this long (a slow service). */
    FakeService slow(String method, String path, java.time.Duration delay) {
        delays.put(method + " /api/v1" + path, delay);
        return this;
    }

    /** Live streams answer this until cleared (null): a refused stream. */
    void refuseStreams(Answer refusal) {
        this.streamRefusal = refusal;
    }

    /** The next live stream a client opens. */
    Stream nextStream() throws InterruptedException {
        Stream stream = streams.poll(10, TimeUnit.SECONDS);
        if (stream == null) {
            throw new AssertionError("no stream was opened");
        }
        return stream;
    }

    List<Seen> requests(String method, String path) {
        return seen.stream().filter(request -> request.method().equals(method) && request.path().equals("/api/v1" + path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Seen request = new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery(),
                exchange.getRequestHeaders(), body);
        seen.add(request);
        if (request.path().endsWith("/stream")) {
            stream(exchange, request);
            return;
        }
        Deque<Answer> scripted = answers.get(request.method() + " " + request.path());
        Answer answer;
        if (scripted == null || scripted.isEmpty()) {
            answer = Answer.problem(404, "NOT_FOUND", Map.of());
        } else {
            synchronized (scripted) {
                answer = scripted.size() > 1 ? scripted.poll() : scripted.peek();
            }
        }
        java.time.Duration delay = delays.get(request.method() + " " + request.path());
        if (delay != null) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
            }
        }
        write(exchange, answer);
    }

    private void stream(HttpExchange exchange, Seen request) throws IOException {
        Answer refusal = streamRefusal;
        if (refusal != null) {
            write(exchange, refusal);
            return;
        }
        Stream stream = new Stream(request);
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        streams.add(stream);
        try (OutputStream out = exchange.getResponseBody()) {
            while (true) {
                String chunk = stream.chunks.take();
                if (chunk.equals(Stream.END)) {
                    return;
                }
                out.write(chunk.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        } catch (IOException clientWentAway) {
            // the client closed the stream
        }
    }

    private static void write(HttpExchange exchange, Answer answer) throws IOException {
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        byte[] bytes = answer.body() == null ? new byte[0] : answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
