package org.latent4j.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.latent4j.core.autograd.GradCheck;
import org.latent4j.core.io.SafeTensors;
import org.latent4j.core.nn.Module;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.TensorAssert;

class UNetTest {
    private static Path fixture(String file) throws URISyntaxException {
        return Path.of(UNetTest.class.getResource("/fixtures/unet_tiny/" + file).toURI());
    }

    @Test
    void forwardMatchesThePyTorchTwinWithTheSameWeights() throws Exception {
        UNet unet = new UNet(UNetConfig.tiny().withNumClasses(3), DType.FLOAT64, new Rng(0));
        unet.loadStateDict(SafeTensors.load(fixture("model.safetensors")), Module.LoadMode.STRICT);
        Map<String, Tensor> io = SafeTensors.load(fixture("io.safetensors"));
        Tensor out = unet.forward(io.get("x"), io.get("t"), io.get("labels"), io.get("context"));
        TensorAssert.assertClose(io.get("out"), out, 1e-7, 1e-9);
    }

    @Test
    void gradientsWithRespectToInputAndContextPassTheCheck() {
        Rng rng = new Rng(4);
        UNet unet = new UNet(UNetConfig.tiny(), DType.FLOAT64, rng);
        Tensor x = TensorAssert.uniform(rng, -1, 1, 1, 1, 8, 8).requireGrad();
        Tensor context = TensorAssert.uniform(rng, -1, 1, 1, 2, 8).requireGrad();
        Tensor weights = TensorAssert.uniform(rng, -1, 1, 1, 1, 8, 8);
        Tensor t = Tensor.ofLongs(new long[] {17}, 1);
        var options = new GradCheck.Options(1e-6, 1e-5, 1e-3, 8, 7);   // 8 random elements per input: a U-Net forward is hundreds of ops
        var r = GradCheck.check(in -> unet.forward(in[0], t, null, in[1]).mul(weights).sum(), options, x, context);
        assertEquals(true, r.passed(), r.toString());
    }

    @Test
    void outputHasTheInputShapeAndNamesFollowTheLayout() {
        UNetConfig c = new UNetConfig(16, 3, 8, new int[] {1, 2, 2}, 2, new int[] {4}, new int[0], 0, 2, 4, 0);
        UNet unet = new UNet(c, new Rng(1));
        Tensor out = unet.forward(Tensor.zeros(2, 3, 16, 16), Tensor.ofLongs(new long[] {0, 5}, 2), Condition.NONE);
        assertArrayEquals(new long[] {2, 3, 16, 16}, out.shape());
        var names = unet.namedParameters().keySet();
        org.junit.jupiter.api.Assertions.assertTrue(names.contains("down.2.blocks.1.attn.qkv.weight"), names::toString);
        org.junit.jupiter.api.Assertions.assertTrue(names.contains("up.0.blocks.2.res.skip.weight"), names::toString);
        org.junit.jupiter.api.Assertions.assertTrue(names.contains("up.1.resample.weight"), names::toString);
    }

    @Test
    void badConfigsAndInputsFailWithTheirReason() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new UNetConfig(32, 3, 64, new int[] {1, 2}, 2, new int[] {8}, new int[0], 0, 4, 32, 0));
        assertEquals("UNetConfig: attentionResolutions lists 8, which is not the resolution of any level (32 halved "
                + "up to 1 times)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new UNetConfig(32, 3, 20, new int[] {1}, 1, new int[0], new int[0], 0, 4, 8, 0));
        assertEquals("UNetConfig: level width 20 (base 20 x mult 1) must be positive and divisible by numGroups 8 "
                + "and numHeads 4", e.getMessage());
        UNet unet = new UNet(UNetConfig.tiny(), new Rng(1));
        e = assertThrows(IllegalArgumentException.class,
                () -> unet.forward(Tensor.zeros(1, 3, 8, 8), Tensor.ofLongs(new long[] {0}, 1), null, null));
        assertEquals("UNet: input (1,3,8,8) must be (B, 1, 8, 8)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> unet.forward(Tensor.zeros(1, 1, 8, 8), Tensor.ofLongs(new long[] {0}, 1), null, null));
        assertEquals("UNet: this model cross-attends; pass a context", e.getMessage());
    }

    @Test
    void textConditionedUNetEncodesCaptions() throws IOException {
        CaptionTokenizer tok = CaptionTokenizer.fromCaptions(java.util.List.of("a red circle", "an orange ring"));
        assertEquals(3, tok.maxWords());
        Rng rng = new Rng(2);
        TextConditionedUNet m = new TextConditionedUNet(new TextEncoder(tok.vocabSize(), 3, 8, 1, 2, DType.FLOAT32,
                rng), new UNet(UNetConfig.tiny(), rng));
        Tensor tokens = tok.encode(java.util.List.of("a red ring", "an orange circle"));
        assertArrayEquals(new long[] {1, 5, 6, 2, 4, 3}, tokens.toLongArray());     // a an circle orange red ring
        Tensor out = m.forward(Tensor.zeros(2, 1, 8, 8), Tensor.ofLongs(new long[] {1, 2}, 2), Condition.ofTokens(tokens));
        assertArrayEquals(new long[] {2, 1, 8, 8}, out.shape());
        var e = assertThrows(IllegalArgumentException.class, () -> tok.encode(java.util.List.of("a purple circle")));
        assertEquals("CaptionTokenizer: unknown word 'purple' in 'a purple circle' (vocabulary: [a, an, circle, orange, "
                + "red, ring])", e.getMessage());
    }
}
