package org.latent4j.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Turning a list of examples into a batch's fields. */
public final class Collate {
    private Collate() {
    }

    /**
     * Stacks field {@code f} of every example into one tensor with a new leading batch axis: examples of
     * shape {@code S} give {@code (B, S...)}. Every example must have the same number of fields, and each
     * field the same shape and dtype.
     */
    public static List<Tensor> stack(List<List<Tensor>> examples) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("Collate.stack: no examples");
        }
        int numFields = examples.get(0).size();
        List<Tensor> out = new ArrayList<>(numFields);
        for (int f = 0; f < numFields; f++) {
            Tensor first = examples.get(0).get(f);
            long[] shape = first.shape();
            DType dtype = first.dtype();
            List<INDArray> parts = new ArrayList<>(examples.size());
            for (int e = 0; e < examples.size(); e++) {
                List<Tensor> ex = examples.get(e);
                if (ex.size() != numFields) {
                    throw new IllegalArgumentException("Collate.stack: example " + e + " has " + ex.size()
                            + " fields but example 0 has " + numFields);
                }
                Tensor t = ex.get(f);
                if (!Arrays.equals(t.shape(), shape) || t.dtype() != dtype) {
                    throw new IllegalArgumentException("Collate.stack: field " + f + " of example " + e + " is "
                            + t.dtype() + " " + Shape.format(t.shape()) + " but example 0 has " + dtype + " "
                            + Shape.format(shape));
                }
                long[] withBatch = new long[shape.length + 1];
                withBatch[0] = 1;
                System.arraycopy(shape, 0, withBatch, 1, shape.length);
                parts.add(t.value().reshape('c', withBatch));   // (1, S...)
            }
            out.add(Tensor.wrap(Nd4j.concat(0, parts.toArray(new INDArray[0]))));   // (B, S...)
        }
        return out;
    }
}
