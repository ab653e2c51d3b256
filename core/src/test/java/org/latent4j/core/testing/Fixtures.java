package org.latent4j.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.latent4j.core.tensor.Tensor;

/**
 * Golden values from PyTorch, read from {@code src/test/resources/fixtures/NAME.json}. Each file is written
 * by a script in {@code core/src/test/python/} (run {@code python3 core/src/test/python/make_fixtures.py});
 * the tests need no Python. A file holds named cases; a case holds named float64 arrays, each
 * {@code {"shape": [...], "data": [...]}} in row-major order.
 */
public final class Fixtures {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonNode cases;
    private final String name;

    private Fixtures(String name, JsonNode cases) {
        this.name = name;
        this.cases = cases;
    }

    public static Fixtures load(String name) {
        String path = "/fixtures/" + name + ".json";
        try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("fixture " + path + " is missing; regenerate it with the script in "
                        + "core/src/test/python/");
            }
            return new Fixtures(name, JSON.readTree(in).get("cases"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<String> caseNames() {
        List<String> names = new ArrayList<>();
        Iterator<String> it = cases.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    public Case get(String caseName) {
        JsonNode c = cases.get(caseName);
        if (c == null) {
            throw new IllegalArgumentException("fixture " + name + " has no case " + caseName);
        }
        return new Case(caseName, c);
    }

    /** One case: named arrays and scalar parameters. */
    public static final class Case {
        private final String name;
        private final JsonNode node;

        Case(String name, JsonNode node) {
            this.name = name;
            this.node = node;
        }

        public String name() {
            return name;
        }

        public boolean has(String key) {
            return node.has(key);
        }

        /** A float64 tensor. */
        public Tensor tensor(String key) {
            JsonNode a = array(key);
            double[] data = new double[a.get("data").size()];
            for (int i = 0; i < data.length; i++) {
                data[i] = a.get("data").get(i).asDouble();
            }
            return Tensor.of(data, shape(a));
        }

        /** An int64 tensor (indices, targets). */
        public Tensor longs(String key) {
            JsonNode a = array(key);
            long[] data = new long[a.get("data").size()];
            for (int i = 0; i < data.length; i++) {
                data[i] = a.get("data").get(i).asLong();
            }
            return Tensor.ofLongs(data, shape(a));
        }

        public double number(String key) {
            return node.get(key).asDouble();
        }

        public int[] ints(String key) {
            JsonNode a = node.get(key);
            int[] out = new int[a.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = a.get(i).asInt();
            }
            return out;
        }

        private JsonNode array(String key) {
            JsonNode a = node.get(key);
            if (a == null) {
                throw new IllegalArgumentException("fixture case " + name + " has no array " + key);
            }
            return a;
        }

        private static long[] shape(JsonNode a) {
            long[] shape = new long[a.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = a.get("shape").get(i).asLong();
            }
            return shape;
        }
    }
}
