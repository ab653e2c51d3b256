package org.latent4j.gan;

/**
 * Shape of a DCGAN (Radford et al., 2016; {@link DcganGenerator}, {@link DcganDiscriminator}) for square
 * images of {@code imageSize} pixels and {@code channels} channels. The generator maps z (a 1×1 map of
 * {@code latentDim} channels) to a {@code base × base} map, {@code base = imageSize / 2^upsamplings}, with one
 * transposed convolution of kernel {@code base}, then doubles the size {@code upsamplings} times with
 * kernel-4, stride-2 transposed convolutions, halving the channels from {@code generatorWidth · 2^(upsamplings−1)}
 * down to {@code generatorWidth} and ending in {@code channels} and tanh. The discriminator mirrors it with
 * stride-2 convolutions from {@code discriminatorWidth} channels and a last kernel-{@code base} convolution to
 * one logit.
 */
public record DcganConfig(int imageSize, int channels, int latentDim, int generatorWidth, int discriminatorWidth,
        int upsamplings) {
    public DcganConfig {
        requirePositive("imageSize", imageSize);
        requirePositive("channels", channels);
        requirePositive("latentDim", latentDim);
        requirePositive("generatorWidth", generatorWidth);
        requirePositive("discriminatorWidth", discriminatorWidth);
        requirePositive("upsamplings", upsamplings);
        if (upsamplings > 8 || imageSize % (1 << upsamplings) != 0 || imageSize >> upsamplings < 1) {
            throw new IllegalArgumentException("DcganConfig: imageSize " + imageSize + " must be a multiple of 2^"
                    + "upsamplings = 2^" + upsamplings);
        }
    }

    /** sklearn's 8×8 digits: 2×2 → 4×4 → 8×8, z of 32, widths 32. */
    public static DcganConfig digits8() {
        return new DcganConfig(8, 1, 32, 32, 32, 2);
    }

    /** 16×16 RGB images (ShapesDataset at 16 pixels): 4×4 → 8×8 → 16×16, z of 64, widths 32. */
    public static DcganConfig small16() {
        return new DcganConfig(16, 3, 64, 32, 32, 2);
    }

    /** 28×28 grey images (Fashion-MNIST): 7×7 → 14×14 → 28×28, z of 64, widths 64. */
    public static DcganConfig mnist28() {
        return new DcganConfig(28, 1, 64, 64, 64, 2);
    }

    /** The side of the smallest feature map, {@code imageSize / 2^upsamplings}. */
    public int baseSize() {
        return imageSize >> upsamplings;
    }

    public DcganConfig withImage(int size, int numChannels) {
        return new DcganConfig(size, numChannels, latentDim, generatorWidth, discriminatorWidth, upsamplings);
    }

    public DcganConfig withWidths(int generator, int discriminator) {
        return new DcganConfig(imageSize, channels, latentDim, generator, discriminator, upsamplings);
    }

    public DcganConfig withLatentDim(int value) {
        return new DcganConfig(imageSize, channels, value, generatorWidth, discriminatorWidth, upsamplings);
    }

    private static void requirePositive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("DcganConfig: " + field + " must be positive, got " + value);
        }
    }
}
