package org.latent4j.core.kernels;

import org.latent4j.core.tensor.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Random arrays and a closeness check with the worst element in the message, for the kernel tests. */
final class KernelTesting {
    private KernelTesting() {
    }

    static INDArray uniform(Rng rng, DataType type, double lo, double hi, long... shape) {
        int n = 1;
        for (long s : shape) {
            n *= (int) s;
        }
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = lo + (hi - lo) * rng.nextDouble();
        }
        return Nd4j.createFromArray(d).castTo(type).reshape('c', shape);
    }

    static double[] values(INDArray a) {
        return a.dup('c').castTo(DataType.DOUBLE).data().asDouble();
    }

    static void assertClose(String what, double[] expected, INDArray actual, double rtol, double atol) {
        double[] a = values(actual);
        if (a.length != expected.length) {
            throw new AssertionError(what + ": length " + a.length + " but expected " + expected.length);
        }
        for (int i = 0; i < a.length; i++) {
            double e = expected[i];
            boolean bad = Double.isNaN(a[i]) || Math.abs(a[i] - e) > atol + rtol * Math.abs(e);
            if (Double.isInfinite(e) && a[i] == e) {
                bad = false;
            }
            if (bad) {
                throw new AssertionError(what + ": element " + i + " expected " + e + " but was " + a[i]);
            }
        }
    }
}
