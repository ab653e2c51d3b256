package org.latent4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latent4j.core.io.SafeTensors;
import org.latent4j.core.tensor.Tensor;

class InspectCommandTest {
    @Test
    void listsNamesDtypesShapesAndTheParameterCount(@TempDir Path dir) throws Exception {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("fc.weight", Tensor.zeros(2, 3));
        t.put("fc.bias", Tensor.zeros(2));
        Path file = dir.resolve("m.safetensors");
        SafeTensors.save(file, t);
        CliTest.Run r = CliTest.run("inspect", file.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("fc.weight  F32    (2,3)"), r.out());
        assertTrue(r.out().contains("fc.bias    F32    (2,)"), r.out());
        assertTrue(r.out().contains("2 tensors, 8 parameters, 32 B"), r.out());
    }

    @Test
    void aMissingFileIsOneLineAndExitCodeTwo(@TempDir Path dir) {
        CliTest.Run r = CliTest.run("inspect", dir.resolve("none.safetensors").toString());
        assertEquals(2, r.code());
        assertEquals("latent4j inspect: " + dir.resolve("none.safetensors") + ": no such file", r.err().strip());
    }

    @Test
    void aCorruptFileIsOneLineWithoutAStackTrace(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.safetensors");
        Files.write(file, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f, 0, 0, 0, 0, '{'});
        CliTest.Run r = CliTest.run("inspect", file.toString());
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("latent4j inspect: " + file), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }
}
