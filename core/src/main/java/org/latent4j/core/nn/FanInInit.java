package org.latent4j.core.nn;

import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * PyTorch's {@code reset_parameters} for Linear and the convolutions: the weight Kaiming-uniform with
 * a = √5 and the bias uniform, both in ±1/√fanIn, with fanIn taken from the weight's shape.
 */
final class FanInInit {
    private FanInInit() {
    }

    /** Initializes the registered {@code weight} and registers a bias of {@code biasSize} if the options ask. */
    static Tensor weightAndBias(Module owner, Tensor weight, ParamOptions options, long biasSize, Rng rng) {
        Init.kaimingUniform(weight, Math.sqrt(5), Init.FanMode.FAN_IN, Init.Nonlinearity.LEAKY_RELU, rng);
        if (!options.bias()) {
            return null;
        }
        long fanIn = Init.fanIn(weight);
        double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
        Tensor bias = Module.allocate(options.dtype(), biasSize);
        return owner.registerParameter("bias", Init.uniform(bias, -bound, bound, rng));
    }

    /** The checks every convolution's constructor makes. */
    static void checkChannels(String layer, int inChannels, int outChannels, int kernelSize, int groups) {
        NnChecks.requirePositive(layer, "inChannels", inChannels);
        NnChecks.requirePositive(layer, "outChannels", outChannels);
        NnChecks.requirePositive(layer, "kernelSize", kernelSize);
        if (inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException(layer + ": inChannels " + inChannels + " and outChannels "
                    + outChannels + " must both be divisible by groups " + groups);
        }
    }
}
