package org.latent4j.core.viz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes a run directory's {@code index.html}: a table of final metrics, every PNG in the directory (by
 * name) and the first lines of every {@code .txt} sample, so a run can be looked at in a browser. All text
 * from the run (names, values, samples) is HTML-escaped.
 */
public final class RunIndex {
    /** How much of each text sample the page shows. */
    public static final int TEXT_PREVIEW_CHARS = 4000;

    private RunIndex() {
    }

    /** Writes {@code runDir/index.html} and returns its path. */
    public static Path write(Path runDir, String title, Map<String, ?> metrics) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:2em;max-width:1100px}")
                .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 10px;text-align:left}")
                .append("td.v{font-family:monospace;text-align:right}figure{display:inline-block;margin:1em 1em 1em 0}")
                .append("img{max-width:100%;image-rendering:pixelated;border:1px solid #ddd}")
                .append("pre{background:#f6f6f6;padding:1em;white-space:pre-wrap}\n</style>\n</head>\n<body>\n<h1>")
                .append(escape(title)).append("</h1>\n");
        if (!metrics.isEmpty()) {
            html.append("<h2>Final metrics</h2>\n<table>\n<tr><th>metric</th><th>value</th></tr>\n");
            for (Map.Entry<String, ?> e : metrics.entrySet()) {
                html.append("<tr><td>").append(escape(e.getKey())).append("</td><td class=\"v\">")
                        .append(escape(format(e.getValue()))).append("</td></tr>\n");
            }
            html.append("</table>\n");
        }
        List<Path> files = list(runDir);
        List<Path> images = files.stream().filter(p -> name(p).endsWith(".png")).collect(Collectors.toList());
        if (!images.isEmpty()) {
            html.append("<h2>Images</h2>\n");
            for (Path p : images) {
                html.append("<figure><img src=\"").append(escape(href(name(p)))).append("\" alt=\"")
                        .append(escape(name(p))).append("\"><figcaption>").append(escape(name(p)))
                        .append("</figcaption></figure>\n");
            }
        }
        for (Path p : files) {
            if (name(p).endsWith(".txt")) {
                html.append("<h2>").append(escape(name(p))).append("</h2>\n<pre>")
                        .append(escape(preview(p))).append("</pre>\n");
            }
        }
        List<Path> data = files.stream().filter(p -> name(p).endsWith(".csv") || name(p).endsWith(".json"))
                .collect(Collectors.toList());
        if (!data.isEmpty()) {
            html.append("<h2>Files</h2>\n<ul>\n");
            for (Path p : data) {
                html.append("<li><a href=\"").append(escape(href(name(p)))).append("\">").append(escape(name(p)))
                        .append("</a></li>\n");
            }
            html.append("</ul>\n");
        }
        html.append("</body>\n</html>\n");
        Path index = runDir.resolve("index.html");
        try {
            Files.createDirectories(runDir);
            Path tmp = Files.createTempFile(runDir, "index", ".tmp");
            Files.writeString(tmp, html, StandardCharsets.UTF_8);
            Files.move(tmp, index, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + index + ": " + e.getMessage(), e);
        }
        return index;
    }

    /** Replaces the five characters that are special in HTML text and attributes. */
    public static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A file name as a relative URL: bytes outside the unreserved set are percent-encoded. */
    static String href(String fileName) {
        StringBuilder out = new StringBuilder();
        for (byte b : fileName.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static String format(Object v) {
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? String.format(Locale.ROOT, "%.6g", d) : Double.toString(d);
        }
        return String.valueOf(v);
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String preview(Path p) {
        try {
            String s = Files.readString(p, StandardCharsets.UTF_8);
            return s.length() <= TEXT_PREVIEW_CHARS ? s : s.substring(0, TEXT_PREVIEW_CHARS) + "\n…";
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read: " + e.getMessage() + ")";
        }
    }

    private static String name(Path p) {
        return p.getFileName().toString();
    }
}
