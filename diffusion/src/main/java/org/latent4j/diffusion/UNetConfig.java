package org.latent4j.diffusion;

import java.util.Arrays;

/**
 * Shape of a {@link UNet}. The resolution halves after each level but the last; level {@code i} has
 * {@code baseChannels·channelMults[i]} channels and {@code numResBlocks} residual blocks on the way down
 * (one more on the way up, for the extra skip). Self-attention is added after the residual blocks of the
 * levels whose resolution (in pixels) is listed in {@code attentionResolutions}, cross-attention to a context
 * of width {@code contextDim} at those listed in {@code crossAttentionResolutions}; the middle block has both
 * whenever the lists are non-empty. {@code numClasses} &gt; 0 adds a class embedding; {@code contextDim} 0
 * means no context.
 */
public record UNetConfig(int imageSize, int inChannels, int baseChannels, int[] channelMults, int numResBlocks,
        int[] attentionResolutions, int[] crossAttentionResolutions, int contextDim, int numHeads, int numGroups,
        int numClasses) {

    public UNetConfig {
        channelMults = channelMults.clone();
        attentionResolutions = attentionResolutions.clone();
        crossAttentionResolutions = crossAttentionResolutions.clone();
        String at = "UNetConfig: ";
        if (imageSize < 1 || inChannels < 1 || baseChannels < 1 || numResBlocks < 1 || numHeads < 1 || numGroups < 1) {
            throw new IllegalArgumentException(at + "imageSize, inChannels, baseChannels, numResBlocks, numHeads and "
                    + "numGroups must be positive");
        }
        if (channelMults.length == 0) {
            throw new IllegalArgumentException(at + "channelMults must not be empty");
        }
        int levels = channelMults.length;
        if (imageSize % (1 << (levels - 1)) != 0) {
            throw new IllegalArgumentException(at + "imageSize " + imageSize + " is not divisible by 2^"
                    + (levels - 1) + " for " + levels + " levels");
        }
        for (int m : channelMults) {
            int ch = baseChannels * m;
            if (m < 1 || ch % numGroups != 0 || ch % numHeads != 0) {
                throw new IllegalArgumentException(at + "level width " + ch + " (base " + baseChannels + " x mult "
                        + m + ") must be positive and divisible by numGroups " + numGroups + " and numHeads "
                        + numHeads);
            }
        }
        if (baseChannels % 2 != 0) {
            throw new IllegalArgumentException(at + "baseChannels must be even (it is the time embedding's size), got "
                    + baseChannels);
        }
        checkResolutions(at, "attentionResolutions", attentionResolutions, imageSize, levels);
        checkResolutions(at, "crossAttentionResolutions", crossAttentionResolutions, imageSize, levels);
        if (crossAttentionResolutions.length > 0 && contextDim < 1) {
            throw new IllegalArgumentException(at + "cross-attention needs a positive contextDim, got " + contextDim);
        }
        if (contextDim < 0 || numClasses < 0) {
            throw new IllegalArgumentException(at + "contextDim and numClasses must be non-negative");
        }
    }

    private static void checkResolutions(String at, String name, int[] res, int imageSize, int levels) {
        for (int r : res) {
            boolean found = false;
            for (int i = 0; i < levels; i++) {
                found |= imageSize >> i == r;
            }
            if (!found) {
                throw new IllegalArgumentException(at + name + " lists " + r + ", which is not the resolution of any "
                        + "level (" + imageSize + " halved up to " + (levels - 1) + " times)");
            }
        }
    }

    /** 3×32×32, base 64, mults (1, 2, 2), 2 residual blocks, attention at 8×8: the benchmark model. */
    public static UNetConfig benchmark() {
        return new UNetConfig(32, 3, 64, new int[] {1, 2, 2}, 2, new int[] {8}, new int[0], 0, 4, 32, 0);
    }

    /** 3×32×32, base 32, mults (1, 2, 2), 1 residual block, attention at 8×8: trains on shapes on a laptop CPU. */
    public static UNetConfig small() {
        return new UNetConfig(32, 3, 32, new int[] {1, 2, 2}, 1, new int[] {8}, new int[0], 0, 4, 8, 0);
    }

    /** 1×8×8, base 8, two levels, attention and cross-attention at 4×4, context width 8: for tests. */
    public static UNetConfig tiny() {
        return new UNetConfig(8, 1, 8, new int[] {1, 2}, 1, new int[] {4}, new int[] {4}, 8, 2, 4, 0);
    }

    public UNetConfig withImage(int size, int channels) {
        return new UNetConfig(size, channels, baseChannels, channelMults, numResBlocks, attentionResolutions,
                crossAttentionResolutions, contextDim, numHeads, numGroups, numClasses);
    }

    public UNetConfig withNumClasses(int n) {
        return new UNetConfig(imageSize, inChannels, baseChannels, channelMults, numResBlocks, attentionResolutions,
                crossAttentionResolutions, contextDim, numHeads, numGroups, n);
    }

    /** Cross-attention to a (B, L, dim) context at the given resolutions. */
    public UNetConfig withCrossAttention(int dim, int... resolutions) {
        return new UNetConfig(imageSize, inChannels, baseChannels, channelMults, numResBlocks, attentionResolutions,
                resolutions, dim, numHeads, numGroups, numClasses);
    }

    public int timeEmbedDim() {
        return 4 * baseChannels;
    }

    public boolean hasAttentionAt(int resolution) {
        return Arrays.stream(attentionResolutions).anyMatch(r -> r == resolution);
    }

    public boolean hasCrossAttentionAt(int resolution) {
        return Arrays.stream(crossAttentionResolutions).anyMatch(r -> r == resolution);
    }

    @Override
    public int[] channelMults() {
        return channelMults.clone();
    }

    @Override
    public int[] attentionResolutions() {
        return attentionResolutions.clone();
    }

    @Override
    public int[] crossAttentionResolutions() {
        return crossAttentionResolutions.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UNetConfig c && toString().equals(c.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "UNetConfig[imageSize=" + imageSize + ", inChannels=" + inChannels + ", baseChannels=" + baseChannels
                + ", channelMults=" + Arrays.toString(channelMults) + ", numResBlocks=" + numResBlocks
                + ", attentionResolutions=" + Arrays.toString(attentionResolutions) + ", crossAttentionResolutions="
                + Arrays.toString(crossAttentionResolutions) + ", contextDim=" + contextDim + ", numHeads=" + numHeads
                + ", numGroups=" + numGroups + ", numClasses=" + numClasses + "]";
    }
}
