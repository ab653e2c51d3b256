package org.latent4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

class CheckpointTest {
    @TempDir
    Path tmp;

    static CheckpointState state(long step, float weight) throws IOException {
        Map<String, Tensor> model = new LinkedHashMap<>();
        model.put("fc.weight", Tensor.of(new float[] {weight, 2, 3, 4}, 2, 2));
        model.put("fc.bias", Tensor.of(new float[] {0.5f, -0.5f}, 2));
        Map<String, Tensor> optimizer = Map.of("state.0.exp_avg", Tensor.of(new double[] {step, 1}, 2));
        JsonNode config = new ObjectMapper().readTree("{\"hidden\": 16, \"name\": \"mlp\", \"dropout\": 0.1}");
        Rng rng = new Rng(7);
        rng.nextGaussian();
        return new CheckpointState(model, optimizer, rng.state(), step, config, Map.of("run", "test-" + step));
    }

    @Test
    void saveThenLoadRoundTripsEveryField() throws IOException {
        Path dir = tmp.resolve("ckpt");
        CheckpointState in = state(42, 1.5f);
        Checkpoint.save(dir, in);
        CheckpointState out = Checkpoint.load(dir);
        assertEquals(List.of("fc.weight", "fc.bias"), List.copyOf(out.model().keySet()));
        assertArrayEquals(new float[] {1.5f, 2, 3, 4}, out.model().get("fc.weight").toFloatArray());
        assertArrayEquals(new long[] {2, 2}, out.model().get("fc.weight").shape());
        assertArrayEquals(new double[] {42, 1}, out.optimizer().get("state.0.exp_avg").toDoubleArray());
        assertArrayEquals(in.rngState(), out.rngState());
        assertEquals(42, out.step());
        assertEquals(in.config(), out.config());
        assertEquals(Map.of("run", "test-42"), out.extra());
        Rng resumed = Rng.fromState(out.rngState());
        Rng original = Rng.fromState(in.rngState());
        assertEquals(original.nextGaussian(), resumed.nextGaussian());
        JsonNode info = new ObjectMapper().readTree(dir.resolve(Checkpoint.INFO_FILE).toFile());
        assertEquals(Checkpoint.libraryVersion(), info.get("libraryVersion").textValue());
    }

    @Test
    void aSaveThatFailsMidwayLeavesThePreviousCheckpointIntact() throws IOException {
        Path dir = tmp.resolve("ckpt");
        Checkpoint.save(dir, state(1, 1f));
        Tensor freed = Tensor.of(new float[] {1, 2}, 2);
        freed.close();   // writing it throws, after model.safetensors of the new save has been written
        CheckpointState broken = new CheckpointState(state(2, 9f).model(), Map.of("m", freed), new long[0], 2,
                new ObjectMapper().createObjectNode(), Map.of());
        assertThrows(IllegalStateException.class, () -> Checkpoint.save(dir, broken));
        CheckpointState still = Checkpoint.load(dir);
        assertEquals(1, still.step());
        assertArrayEquals(new float[] {1, 2, 3, 4}, still.model().get("fc.weight").toFloatArray());
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(dir), s.toList(), "the temporary directory was removed");
        }
    }

    @Test
    void aSaveInterruptedBetweenItsRenamesFallsBackToThePreviousCheckpoint() throws IOException {
        Path dir = tmp.resolve("ckpt");
        Checkpoint.save(dir, state(5, 1f));
        Files.move(dir, tmp.resolve(".ckpt.old"));   // as if the process died right after the first rename
        assertEquals(5, Checkpoint.load(dir).step());
        Checkpoint.save(dir, state(6, 1f));
        assertEquals(6, Checkpoint.load(dir).step());
        assertTrue(Files.notExists(tmp.resolve(".ckpt.old")));
    }

    @Test
    void replacingAnExistingCheckpointKeepsOnlyTheNewOne() throws IOException {
        Path dir = tmp.resolve("ckpt");
        Checkpoint.save(dir, state(1, 1f));
        Checkpoint.save(dir, state(2, 7f));
        assertEquals(2, Checkpoint.load(dir).step());
        assertArrayEquals(new float[] {7, 2, 3, 4}, Checkpoint.load(dir).model().get("fc.weight").toFloatArray());
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(dir), s.toList());
        }
    }

    @Test
    void missingAndCorruptFilesGetClearErrors() throws IOException {
        Path dir = tmp.resolve("ckpt");
        assertThrows(NoSuchFileException.class, () -> Checkpoint.load(dir));
        Checkpoint.save(dir, state(3, 1f));

        Path opt = dir.resolve(Checkpoint.OPTIMIZER_FILE);
        byte[] optBytes = Files.readAllBytes(opt);
        Files.delete(opt);
        FileFormatException e = assertThrows(FileFormatException.class, () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().endsWith("checkpoint is incomplete: missing optimizer.safetensors"), e.getMessage());

        Files.write(opt, java.util.Arrays.copyOf(optBytes, optBytes.length - 4));
        e = assertThrows(FileFormatException.class, () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().contains("optimizer.safetensors: checkpoint: file has " + (optBytes.length - 4)
                + " bytes but checkpoint.json records " + optBytes.length), e.getMessage());
        Files.write(opt, optBytes);

        Path info = dir.resolve(Checkpoint.INFO_FILE);
        String json = Files.readString(info);
        Files.writeString(info, json.replace("\"step\" : 3", "\"step\" : -3"));
        e = assertThrows(FileFormatException.class, () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().endsWith("checkpoint: \"step\" must be a non-negative integer"), e.getMessage());
        Files.writeString(info, "{not json");
        e = assertThrows(FileFormatException.class, () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().contains("checkpoint.json: checkpoint: not valid JSON"), e.getMessage());
        Files.writeString(info, json);
        assertEquals(3, Checkpoint.load(dir).step());
    }

    @Test
    void stateRejectsNullsAndNegativeSteps() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CheckpointState(Map.of(), Map.of(), new long[0], -1, new ObjectMapper().createObjectNode(), Map.of()));
        assertEquals("CheckpointState: step must be non-negative, got -1", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new CheckpointState(Map.of(), Map.of(), new long[0], 0, null, Map.of()));
    }
}
