package org.latent4j.core.kernels;

/**
 * The sizes of one 2-D convolution as {@link Kernels#conv2d} takes them: input (n, c, h, w), weight
 * (o, c/groups, kh, kw), output (n, o, outH, outW), stride, padding on the top/left (the bottom/right padding
 * follows from the output size, as in PyTorch's floor rounding), dilation in PyTorch's convention (1 = none),
 * channel groups and whether a bias is added.
 */
public record ConvGeometry(long n, long c, long h, long w, long o, long kh, long kw, long outH, long outW,
        int strideH, int strideW, int paddingH, int paddingW, int dilationH, int dilationW, int groups,
        boolean bias) {
}
