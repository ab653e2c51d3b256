package org.latent4j.transformer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.latent4j.core.tensor.DType;

/**
 * The shape of a {@link Gpt}: vocabulary, context length ({@code blockSize}), depth, heads, width, dropout
 * (on the embeddings and on each sublayer's output, nanoGPT's {@code resid_dropout}), dropout on the attention
 * weights ({@code attnDropout}, nanoGPT's {@code attn_dropout}), position encoding and parameter dtype. The MLP is {@code 4 × embedDim} wide and every linear layer has a bias, as in GPT-2.
 * Presets: {@link #tiny()} for tests, {@link #baby()} (nanoGPT's CPU model), {@link #gpt2Small()}; change a
 * field with the {@code with*} methods.
 */
public record GptConfig(int vocabSize, int blockSize, int numLayers, int numHeads, int embedDim, double dropout,
        double attnDropout, PositionEncoding positions, DType dtype) {
    /** Epsilon of every layer norm (PyTorch's and GPT-2's default). */
    public static final double LAYER_NORM_EPS = 1e-5;

    public GptConfig {
        requirePositive("vocabSize", vocabSize);
        requirePositive("blockSize", blockSize);
        requirePositive("numLayers", numLayers);
        requirePositive("numHeads", numHeads);
        requirePositive("embedDim", embedDim);
        if (embedDim % numHeads != 0) {
            throw new IllegalArgumentException("GptConfig: embedDim " + embedDim + " is not divisible by numHeads "
                    + numHeads);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("GptConfig: dropout must be in [0, 1), got " + dropout);
        }
        if (!(attnDropout >= 0 && attnDropout < 1)) {
            throw new IllegalArgumentException("GptConfig: attnDropout must be in [0, 1), got " + attnDropout);
        }
        if (positions == null) {
            throw new IllegalArgumentException("GptConfig: positions is null");
        }
        if (dtype != DType.FLOAT32 && dtype != DType.FLOAT64) {
            throw new IllegalArgumentException("GptConfig: dtype must be float32 or float64, got " + dtype);
        }
        if (positions == PositionEncoding.ROTARY && (embedDim / numHeads) % 2 != 0) {
            throw new IllegalArgumentException("GptConfig: rotary positions need an even head size, got "
                    + embedDim / numHeads);
        }
    }

    private static void requirePositive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("GptConfig: " + field + " must be positive, got " + value);
        }
    }

    /** 2 layers, 2 heads, 32 wide, 32 positions, 256 tokens: for tests. */
    public static GptConfig tiny() {
        return new GptConfig(256, 32, 2, 2, 32, 0.0, 0.0, PositionEncoding.LEARNED, DType.FLOAT32);
    }

    /** nanoGPT's "baby GPT" for CPUs: 4 layers, 4 heads, 128 wide, 64 positions, no dropout. */
    public static GptConfig baby() {
        return new GptConfig(256, 64, 4, 4, 128, 0.0, 0.0, PositionEncoding.LEARNED, DType.FLOAT32);
    }

    /** GPT-2 small (124M parameters): 12 layers, 12 heads, 768 wide, 1024 positions, 50257 tokens. */
    public static GptConfig gpt2Small() {
        return new GptConfig(50257, 1024, 12, 12, 768, 0.1, 0.1, PositionEncoding.LEARNED, DType.FLOAT32);
    }

    public GptConfig withVocabSize(int v) {
        return new GptConfig(v, blockSize, numLayers, numHeads, embedDim, dropout, attnDropout, positions, dtype);
    }

    public GptConfig withBlockSize(int t) {
        return new GptConfig(vocabSize, t, numLayers, numHeads, embedDim, dropout, attnDropout, positions, dtype);
    }

    /** Residual dropout (embeddings and sublayer outputs); see {@link #withAttnDropout} for the attention weights. */
    public GptConfig withDropout(double p) {
        return new GptConfig(vocabSize, blockSize, numLayers, numHeads, embedDim, p, attnDropout, positions, dtype);
    }

    /** Dropout on the attention weights (training only; attention then runs unfused). */
    public GptConfig withAttnDropout(double p) {
        return new GptConfig(vocabSize, blockSize, numLayers, numHeads, embedDim, dropout, p, positions, dtype);
    }

    public GptConfig withPositions(PositionEncoding p) {
        return new GptConfig(vocabSize, blockSize, numLayers, numHeads, embedDim, dropout, attnDropout, p, dtype);
    }

    /** Float64 parameters are for gradient checks and exact comparisons; float32 is for training. */
    public GptConfig withDType(DType d) {
        return new GptConfig(vocabSize, blockSize, numLayers, numHeads, embedDim, dropout, attnDropout, positions, d);
    }

    public GptConfig withShape(int layers, int heads, int width) {
        return new GptConfig(vocabSize, blockSize, layers, heads, width, dropout, attnDropout, positions, dtype);
    }

    /** The config as JSON (for checkpoints): the record's fields by name. */
    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("model", "gpt");
        n.put("vocabSize", vocabSize);
        n.put("blockSize", blockSize);
        n.put("numLayers", numLayers);
        n.put("numHeads", numHeads);
        n.put("embedDim", embedDim);
        n.put("dropout", dropout);
        n.put("attnDropout", attnDropout);
        n.put("positions", positions.name());
        n.put("dtype", dtype.name());
        return n;
    }

    /**
     * Reads {@link #toJson()}'s form; a missing field is an error naming it, except {@code attnDropout}, which
     * checkpoints written before it existed lack (they trained without it: 0).
     */
    public static GptConfig fromJson(JsonNode n) {
        for (String f : new String[] {"vocabSize", "blockSize", "numLayers", "numHeads", "embedDim", "dropout",
            "positions", "dtype"}) {
            if (n == null || !n.has(f)) {
                throw new IllegalArgumentException("GptConfig.fromJson: missing field '" + f + "'");
            }
        }
        return new GptConfig(n.get("vocabSize").asInt(), n.get("blockSize").asInt(), n.get("numLayers").asInt(),
                n.get("numHeads").asInt(), n.get("embedDim").asInt(), n.get("dropout").asDouble(),
                n.has("attnDropout") ? n.get("attnDropout").asDouble() : 0.0,
                PositionEncoding.valueOf(n.get("positions").asText()), DType.valueOf(n.get("dtype").asText()));
    }

    public int headDim() {
        return embedDim / numHeads;
    }

    public int mlpDim() {
        return 4 * embedDim;
    }
}
