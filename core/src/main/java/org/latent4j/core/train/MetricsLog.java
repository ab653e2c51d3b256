package org.latent4j.core.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.latent4j.core.viz.Plots;
import org.latent4j.core.viz.Series;

/**
 * The metrics of a run, one row per step: appended to {@code metrics.csv} as they come (a crashed run keeps
 * what it logged), summarized in {@code metrics.json} (final, min, max and the mean of the last tenth of each
 * metric) and drawn as curves. Values are written with {@link Double#toString}, so they read back exactly.
 * A metric may be missing from some steps (an evaluation every 100 steps): its cell is empty; a metric seen
 * for the first time rewrites the file with the wider header.
 */
public final class MetricsLog {
    /** The CSV and JSON file names inside a run directory. */
    public static final String CSV = "metrics.csv";
    public static final String JSON = "metrics.json";

    /** Points after which {@link #writeCurves} adds a smoothed line. */
    public static final int SMOOTH_AFTER = 50;
    /** Decay of the smoothed line: each point keeps this share of the previous average. */
    public static final double SMOOTHING = 0.95;

    private static final ObjectMapper JSON_MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path csv;
    private final Path json;
    private final List<String> names = new ArrayList<>();
    private final List<Long> steps = new ArrayList<>();
    private final List<Map<String, Double>> rows = new ArrayList<>();

    private MetricsLog(Path runDir) {
        this.csv = runDir.resolve(CSV);
        this.json = runDir.resolve(JSON);
    }

    /** A new, empty log in {@code runDir}, replacing any earlier {@code metrics.csv}. */
    public static MetricsLog create(Path runDir) {
        return resume(runDir, 0);
    }

    /**
     * The log of a run resumed at {@code fromStep}: rows of earlier steps already in {@code metrics.csv} are
     * kept, later ones (logged after the checkpoint the run resumes from) are dropped.
     */
    public static MetricsLog resume(Path runDir, long fromStep) {
        MetricsLog log = new MetricsLog(runDir);
        if (fromStep > 0 && Files.exists(log.csv)) {
            log.read(fromStep);
        }
        log.rewrite();
        return log;
    }

    /** Records the metrics of {@code step} (steps must increase). */
    public void append(long step, Map<String, Double> metrics) {
        if (!steps.isEmpty() && step <= steps.get(steps.size() - 1)) {
            throw new IllegalArgumentException("metrics: step " + step + " logged after step "
                    + steps.get(steps.size() - 1));
        }
        boolean widened = false;
        for (String name : metrics.keySet()) {
            if (!names.contains(name)) {
                checkName(name);
                names.add(name);
                widened = true;
            }
        }
        steps.add(step);
        rows.add(new LinkedHashMap<>(metrics));
        if (widened) {
            rewrite();
        } else {
            write(line(step, metrics), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    /** Metric names in the order they first appeared. */
    public List<String> names() {
        return List.copyOf(names);
    }

    /** The steps logged so far, in order. */
    public long[] steps() {
        return steps.stream().mapToLong(Long::longValue).toArray();
    }

    /** The values of one metric, one per logged step; NaN where a step did not report it. */
    public double[] values(String name) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            Double v = rows.get(i).get(name);
            out[i] = v == null ? Double.NaN : v;
        }
        return out;
    }

    /** The last reported value of each metric. */
    public Map<String, Double> last() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String name : names) {
            for (int i = rows.size() - 1; i >= 0; i--) {
                Double v = rows.get(i).get(name);
                if (v != null) {
                    out.put(name, v);
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Per metric: final, min, max and the mean over the last tenth of its values (at least one). A NaN the
     * step reported (a diverged loss) shows in final and the mean; min and max skip it.
     */
    public Map<String, Map<String, Double>> summary() {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (String name : names) {
            double[] v = rows.stream().filter(r -> r.containsKey(name)).mapToDouble(r -> r.get(name)).toArray();
            if (v.length == 0) {
                continue;
            }
            int tail = Math.max(1, v.length / 10);
            Map<String, Double> s = new LinkedHashMap<>();
            s.put("final", v[v.length - 1]);
            s.put("min", Arrays.stream(v).filter(x -> !Double.isNaN(x)).min().orElse(Double.NaN));
            s.put("max", Arrays.stream(v).filter(x -> !Double.isNaN(x)).max().orElse(Double.NaN));
            s.put("mean_last", Arrays.stream(v, v.length - tail, v.length).average().getAsDouble());
            out.put(name, s);
        }
        return out;
    }

    /**
     * Writes {@code metrics.json}: {@code extra} entries first (steps, seconds, an evaluation), then the
     * summary under "metrics". Non-finite numbers are written as strings ("NaN"), which JSON allows.
     */
    public void writeJson(Map<String, ?> extra) {
        Map<String, Object> doc = new LinkedHashMap<>();
        extra.forEach((k, v) -> doc.put(k, jsonSafe(v)));
        Map<String, Object> metrics = new LinkedHashMap<>();
        summary().forEach((k, v) -> metrics.put(k, jsonSafe(v)));
        doc.put("metrics", metrics);
        try {
            Files.createDirectories(json.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(json.toAbsolutePath().getParent(), JSON, ".tmp");
            JSON_MAPPER.writeValue(tmp.toFile(), doc);
            Files.move(tmp, json, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + json + ": " + e.getMessage(), e);
        }
    }

    /**
     * Draws the named metrics against the step, on a log axis when {@code yScale} says so. With more than
     * {@link #SMOOTH_AFTER} points each metric also gets an exponentially smoothed line (decay
     * {@link #SMOOTHING}, bias-corrected as in Adam), since per-batch losses are noisy.
     */
    public void writeCurves(Path png, String title, List<String> metricNames, Plots.AxisScale yScale) {
        double[] x = Arrays.stream(steps()).asDoubleStream().toArray();
        List<Series> series = new ArrayList<>();
        for (String name : metricNames) {
            series.add(new Series(name, x, values(name)));
            if (x.length > SMOOTH_AFTER) {
                series.add(new Series(name + " (smoothed)", x, smoothed(values(name))));
            }
        }
        Plots.writeLines(png, title, "step", metricNames.size() == 1 ? metricNames.get(0) : "value", series, yScale);
    }

    /** The bias-corrected exponential moving average of {@code v}; NaN entries are skipped (and stay NaN). */
    static double[] smoothed(double[] v) {
        double[] out = new double[v.length];
        double avg = 0;
        double weight = 0;
        for (int i = 0; i < v.length; i++) {
            if (Double.isNaN(v[i])) {
                out[i] = Double.NaN;
                continue;
            }
            avg = SMOOTHING * avg + (1 - SMOOTHING) * v[i];
            weight = SMOOTHING * weight + (1 - SMOOTHING);
            out[i] = avg / weight;
        }
        return out;
    }

    private static Object jsonSafe(Object v) {
        if (v instanceof Double d && !Double.isFinite(d)) {
            return d.toString();
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, jsonSafe(x)));
            return out;
        }
        return v;
    }

    private static void checkName(String name) {
        if (name.isEmpty() || name.equals("step") || name.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')) {
            throw new IllegalArgumentException("metrics: name '" + name
                    + "' must be non-empty, not 'step', and contain no commas, quotes or line breaks");
        }
    }

    private String line(long step, Map<String, Double> metrics) {
        StringBuilder sb = new StringBuilder().append(step);
        for (String name : names) {
            Double v = metrics.get(name);
            sb.append(',').append(v == null ? "" : v.toString());
        }
        return sb.append('\n').toString();
    }

    private void rewrite() {
        StringBuilder sb = new StringBuilder("step");
        names.forEach(n -> sb.append(',').append(n));
        sb.append('\n');
        for (int i = 0; i < rows.size(); i++) {
            sb.append(line(steps.get(i), rows.get(i)));
        }
        write(sb.toString(), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }

    private void read(long fromStep) {
        try {
            List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                return;
            }
            String[] header = lines.get(0).split(",", -1);
            names.addAll(Arrays.asList(header).subList(1, header.length));
            for (String l : lines.subList(1, lines.size())) {
                String[] cells = l.split(",", -1);
                if (l.isBlank() || cells.length != header.length) {
                    continue; // a row cut short by a crash
                }
                long step = Long.parseLong(cells[0]);
                if (step >= fromStep) {
                    break;
                }
                Map<String, Double> row = new LinkedHashMap<>();
                for (int i = 1; i < cells.length; i++) {
                    if (!cells[i].isEmpty()) {
                        row.put(header[i], Double.parseDouble(cells[i]));
                    }
                }
                steps.add(step);
                rows.add(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv + ": " + e.getMessage(), e);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cannot resume metrics: " + csv + " has a malformed row: "
                    + e.getMessage(), e);
        }
    }

    private void write(String text, StandardOpenOption... options) {
        try {
            Files.createDirectories(csv.toAbsolutePath().getParent());
            Files.writeString(csv, text, StandardCharsets.UTF_8, options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + csv + ": " + e.getMessage(), e);
        }
    }
}
