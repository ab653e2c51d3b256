package org.latent4j.benchmarks;

import org.latent4j.core.tensor.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded float32 inputs for the benchmarks. */
final class BenchArrays {
    private BenchArrays() {
    }

    static INDArray uniform(Rng rng, double lo, double hi, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        float[] d = new float[Math.toIntExact(n)];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (lo + (hi - lo) * rng.nextDouble());
        }
        return Nd4j.createFromArray(d).reshape('c', shape);
    }

    static INDArray zeros(long... shape) {
        return Nd4j.create(DataType.FLOAT, shape);
    }

    /** "1,8,2048,2048" → {1, 8, 2048, 2048}. */
    static long[] shape(String s) {
        String[] p = s.split(",");
        long[] r = new long[p.length];
        for (int i = 0; i < p.length; i++) {
            r[i] = Long.parseLong(p[i].trim());
        }
        return r;
    }
}
