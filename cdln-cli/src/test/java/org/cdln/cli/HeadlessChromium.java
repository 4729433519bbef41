package org.cdln.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Opens a page in Debian's headless Chromium and reports what a person would see: console errors,
 * uncaught exceptions, failed loads, and each image's rendered size. Talks the DevTools protocol
 * over a WebSocket on 127.0.0.1 (the browser picks a free port), with a fresh profile folder. The
 * browser and its children are ended when closed.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the page showed. */
    record PageReport(List<String> errors, List<int[]> images, String title) {
    }

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> loaded = new CompletableFuture<>();

    /** The chromium executable on PATH, or null. */
    static Path find() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            for (String name : new String[] {"chromium", "chromium-browser"}) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    HeadlessChromium(Path executable) throws IOException, InterruptedException {
        profile = Files.createTempDirectory("cdln-chromium-");
        process = new ProcessBuilder(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0", "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.isRegularFile(portFile) && Files.readAllLines(portFile).size() >= 2)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String log = Files.isRegularFile(profile.resolve("chromium.log"))
                        ? Files.readString(profile.resolve("chromium.log")) : "";
                close();
                throw new IOException("chromium did not open its DevTools port: " + log);
            }
            Thread.sleep(50);
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String ws = null;
        for (JsonNode t : JSON.readTree(list)) {
            if (t.path("type").asText().equals("page")) {
                ws = t.path("webSocketDebuggerUrl").asText();
                break;
            }
        }
        if (ws == null) {
            close();
            throw new IOException("chromium offered no page target: " + list);
        }
        socket = http.newWebSocketBuilder().buildAsync(URI.create(ws), new Listener()).join();
    }

    /** Loads the file, waits for its load event, and inspects every image. */
    PageReport open(Path html) throws Exception {
        call("Runtime.enable", null);
        call("Log.enable", null);
        call("Page.enable", null);
        ObjectNode nav = JSON.createObjectNode().put("url", html.toAbsolutePath().toUri().toString());
        JsonNode r = call("Page.navigate", nav);
        if (r.has("errorText")) {
            errors.add("navigation: " + r.get("errorText").asText());
        }
        loaded.get(60, TimeUnit.SECONDS);
        ObjectNode eval = JSON.createObjectNode()
                .put("expression", "JSON.stringify({title: document.title, images: Array.from(document.images).map("
                        + "i => [i.complete ? 1 : 0, i.naturalWidth, i.naturalHeight, i.getBoundingClientRect().width|0])})")
                .put("returnByValue", true);
        JsonNode value = JSON.readTree(call("Runtime.evaluate", eval).path("result").path("value").asText());
        List<int[]> images = new ArrayList<>();
        for (JsonNode i : value.path("images")) {
            images.add(new int[] {i.get(0).asInt(), i.get(1).asInt(), i.get(2).asInt(), i.get(3).asInt()});
        }
        Thread.sleep(200);
        return new PageReport(List.copyOf(errors), images, value.path("title").asText());
    }

    private JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        if (params != null) {
            msg.set("params", params);
        }
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        socket.sendText(JSON.writeValueAsString(msg), true).join();
        return f.get(60, TimeUnit.SECONDS);
    }

    private void onMessage(String text) throws IOException {
        JsonNode m = JSON.readTree(text);
        if (m.has("id")) {
            CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
            if (f != null) {
                if (m.has("error")) {
                    f.completeExceptionally(new IOException(m.get("error").toString()));
                } else {
                    f.complete(m.path("result"));
                }
            }
            return;
        }
        String method = m.path("method").asText();
        JsonNode p = m.path("params");
        switch (method) {
            case "Page.loadEventFired" -> loaded.complete(null);
            case "Runtime.exceptionThrown" -> errors.add("exception: " + p.path("exceptionDetails").toString());
            case "Runtime.consoleAPICalled" -> {
                String type = p.path("type").asText();
                if (type.equals("error") || type.equals("assert")) {
                    errors.add("console." + type + ": " + p.path("args").toString());
                }
            }
            case "Log.entryAdded" -> {
                if (p.path("entry").path("level").asText().equals("error")) {
                    errors.add("log: " + p.path("entry").path("text").asText() + " "
                            + p.path("entry").path("url").asText());
                }
            }
            default -> {
            }
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder buffer = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                String text = buffer.toString();
                buffer.setLength(0);
                try {
                    onMessage(text);
                } catch (IOException e) {
                    errors.add("protocol: " + e.getMessage());
                }
            }
            ws.request(1);
            return null;
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> walk = Files.walk(profile)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // a leftover temp profile is harmless
        }
    }
}
