package org.latent4j.core.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.latent4j.core.tensor.Tensor;

/**
 * A training checkpoint: a directory holding {@code model.safetensors} (the model's state dict),
 * {@code optimizer.safetensors} (the optimizer's state as named tensors) and {@code checkpoint.json} (step,
 * RNG state, the model's config, library version, free-form extras, and the byte size of each tensor file).
 *
 * <p>Saving is atomic: the files are written and forced to disk in a temporary sibling directory
 * {@code .NAME.saving-*}; then the previous checkpoint is renamed to {@code .NAME.old}, the new one renamed
 * into place, and the old one deleted. An interrupted save therefore leaves either the previous checkpoint
 * in place or, if the process died between the two renames, {@code .NAME.old}, which {@link #load} falls back
 * to. A failed save deletes its temporary directory.
 */
public final class Checkpoint {
    public static final String MODEL_FILE = "model.safetensors";
    public static final String OPTIMIZER_FILE = "optimizer.safetensors";
    public static final String INFO_FILE = "checkpoint.json";
    static final String FORMAT = "latent4j-checkpoint";
    static final int FORMAT_VERSION = 1;

    private Checkpoint() {
    }

    /** The library version recorded in new checkpoints (the jar's, or "development" outside a jar). */
    public static String libraryVersion() {
        String v = Checkpoint.class.getPackage().getImplementationVersion();
        return v != null ? v : "development";
    }

    /** Writes {@code state} to {@code dir}, replacing any checkpoint there atomically. */
    public static void save(Path dir, CheckpointState state) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        String name = target.getFileName().toString();
        Path tmp = Files.createTempDirectory(parent, "." + name + ".saving-");
        try {
            SafeTensors.write(tmp.resolve(MODEL_FILE), state.model(), Map.of("step", Long.toString(state.step())));
            SafeTensors.write(tmp.resolve(OPTIMIZER_FILE), state.optimizer(), Map.of());
            writeInfo(tmp, state);
            forceDirectory(tmp);
            Path old = parent.resolve("." + name + ".old");
            if (Files.exists(target)) {
                deleteTree(old);
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                forceDirectory(parent);
                deleteTree(old);
            } else {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                forceDirectory(parent);
                deleteTree(old);
            }
        } finally {
            deleteTree(tmp);
        }
    }

    /**
     * Reads and validates the checkpoint in {@code dir} (or its {@code .NAME.old} sibling when a save was
     * interrupted between its two renames).
     *
     * @throws NoSuchFileException if there is no checkpoint
     * @throws FileFormatException naming the file and what is wrong when it is incomplete or corrupt
     */
    public static CheckpointState load(Path dir) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        Path old = target.resolveSibling("." + target.getFileName() + ".old");
        if (!Files.exists(target.resolve(INFO_FILE)) && Files.exists(old.resolve(INFO_FILE))) {
            target = old;
        }
        if (!Files.isDirectory(target)) {
            throw new NoSuchFileException(dir.toString(), null, "no checkpoint directory");
        }
        JsonNode info = readInfo(target);
        Map<String, Tensor> model = loadTensors(target, MODEL_FILE, info);
        Map<String, Tensor> optimizer;
        try {
            optimizer = loadTensors(target, OPTIMIZER_FILE, info);
        } catch (IOException | RuntimeException e) {
            model.values().forEach(Tensor::close);
            throw e;
        }
        long[] rng = new long[info.get("rngState").size()];
        for (int i = 0; i < rng.length; i++) {
            rng[i] = info.get("rngState").get(i).longValue();
        }
        Map<String, String> extra = new LinkedHashMap<>();
        info.get("extra").fields().forEachRemaining(e -> extra.put(e.getKey(), e.getValue().textValue()));
        return new CheckpointState(model, optimizer, rng, info.get("step").longValue(), info.get("config"), extra);
    }

    private static void writeInfo(Path dir, CheckpointState state) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode info = json.createObjectNode();
        info.put("format", FORMAT);
        info.put("formatVersion", FORMAT_VERSION);
        info.put("libraryVersion", libraryVersion());
        info.put("step", state.step());
        var rng = info.putArray("rngState");
        for (long w : state.rngState()) {
            rng.add(w);
        }
        info.set("config", state.config());
        ObjectNode extra = info.putObject("extra");
        state.extra().forEach(extra::put);
        ObjectNode files = info.putObject("files");
        files.put(MODEL_FILE, Files.size(dir.resolve(MODEL_FILE)));
        files.put(OPTIMIZER_FILE, Files.size(dir.resolve(OPTIMIZER_FILE)));
        Path file = dir.resolve(INFO_FILE);
        Files.write(file, json.writeValueAsBytes(info));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    private static JsonNode readInfo(Path dir) throws IOException {
        Path file = dir.resolve(INFO_FILE);
        if (!Files.exists(file)) {
            throw new FileFormatException(dir, "checkpoint is incomplete: missing " + INFO_FILE);
        }
        if (Files.size(file) > SafeTensors.MAX_HEADER_BYTES) {
            throw new FileFormatException(file, "checkpoint: " + Files.size(file) + " bytes is too large");
        }
        JsonNode info;
        try {
            info = SafeTensors.headerMapper().readTree(file.toFile());
        } catch (JacksonException e) {
            throw new FileFormatException(file, "checkpoint: not valid JSON: " + e.getOriginalMessage());
        }
        if (info == null || !info.isObject() || !FORMAT.equals(info.path("format").textValue())) {
            throw new FileFormatException(file, "checkpoint: not a latent4j checkpoint (\"format\" is not \""
                    + FORMAT + "\")");
        }
        if (info.path("formatVersion").asInt(-1) != FORMAT_VERSION) {
            throw new FileFormatException(file, "checkpoint: formatVersion " + info.get("formatVersion")
                    + " is not supported (this library reads " + FORMAT_VERSION + ")");
        }
        if (!info.path("step").canConvertToLong() || !info.path("step").isIntegralNumber()
                || info.get("step").longValue() < 0) {
            throw new FileFormatException(file, "checkpoint: \"step\" must be a non-negative integer");
        }
        JsonNode rng = info.path("rngState");
        if (!rng.isArray() || !allLongs(rng)) {
            throw new FileFormatException(file, "checkpoint: \"rngState\" must be an array of 64-bit integers");
        }
        if (!info.has("config")) {
            throw new FileFormatException(file, "checkpoint: \"config\" is missing");
        }
        JsonNode extra = info.path("extra");
        if (!extra.isObject() || !allText(extra)) {
            throw new FileFormatException(file, "checkpoint: \"extra\" must be an object of strings");
        }
        if (!info.path("files").isObject()) {
            throw new FileFormatException(file, "checkpoint: \"files\" is missing");
        }
        return info;
    }

    private static Map<String, Tensor> loadTensors(Path dir, String name, JsonNode info) throws IOException {
        Path file = dir.resolve(name);
        if (!Files.exists(file)) {
            throw new FileFormatException(dir, "checkpoint is incomplete: missing " + name);
        }
        JsonNode recorded = info.get("files").get(name);
        long actual = Files.size(file);
        if (recorded == null || !recorded.canConvertToLong() || recorded.longValue() != actual) {
            throw new FileFormatException(file, "checkpoint: file has " + actual + " bytes but " + INFO_FILE
                    + " records " + recorded + " (corrupt, or mixed from two saves)");
        }
        return SafeTensors.load(file);
    }

    private static boolean allLongs(JsonNode array) {
        for (JsonNode n : array) {
            if (!n.isIntegralNumber() || !n.canConvertToLong()) {
                return false;
            }
        }
        return true;
    }

    private static boolean allText(JsonNode object) {
        for (Iterator<JsonNode> it = object.elements(); it.hasNext(); ) {
            if (!it.next().isTextual()) {
                return false;
            }
        }
        return true;
    }

    /** Makes renames inside {@code dir} durable (Linux allows fsync on a directory; elsewhere a no-op). */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not supported on this platform: the renames are still atomic, only their durability is weaker
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
