package org.latent4j.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Examples held in memory as tensors whose first axis is the example index, such as points {@code (N, 2)}
 * with labels {@code (N)}. {@link #get} gives one example's fields; {@link #batch} gathers many rows at
 * once, which is what a {@link DataLoader} uses.
 */
public final class TensorDataset implements BatchedDataset {
    private final List<Tensor> fields;
    private final List<INDArray> rows;   // each field viewed as (N, rowLength)
    private final int size;

    /** The fields must share their first dimension. */
    public TensorDataset(Tensor... fields) {
        if (fields.length == 0) {
            throw new IllegalArgumentException("TensorDataset: needs at least one field");
        }
        this.fields = List.of(fields);
        long n = -1;
        List<INDArray> flat = new ArrayList<>();
        for (int i = 0; i < fields.length; i++) {
            long[] s = fields[i].shape();
            if (s.length == 0) {
                throw new IllegalArgumentException("TensorDataset: field " + i + " is a scalar; it needs an example axis");
            }
            if (n >= 0 && s[0] != n) {
                throw new IllegalArgumentException("TensorDataset: field " + i + " has shape " + Shape.format(s)
                        + " but field 0 has " + n + " examples");
            }
            n = s[0];
            INDArray v = fields[i].value();
            INDArray packed = isPacked(v) ? v : v.dup('c');
            flat.add(packed.reshape('c', s[0], s[0] == 0 ? 0 : packed.length() / s[0]));
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("TensorDataset: " + n + " examples is more than an int index allows");
        }
        this.size = (int) n;
        this.rows = flat;
    }

    @Override
    public int size() {
        return size;
    }

    /** Example {@code index}: one tensor per field, without the example axis. */
    @Override
    public List<Tensor> get(int index) {
        return batch(new int[] {index}).fields().stream()
                .map(t -> Tensor.wrap(t.value().reshape('c', rowShape(t.shape()))))
                .toList();
    }

    /** The rows {@code indices} of every field, stacked: field shapes {@code (indices.length, ...)}. */
    @Override
    public Batch batch(int[] indices) {
        for (int i : indices) {
            if (i < 0 || i >= size) {
                throw new IndexOutOfBoundsException("TensorDataset: index " + i + " out of range [0, " + size + ")");
            }
        }
        List<Tensor> out = new ArrayList<>(fields.size());
        for (int f = 0; f < fields.size(); f++) {
            long[] shape = fields.get(f).shape().clone();
            shape[0] = indices.length;
            INDArray source = rows.get(f);   // (N, rowLength)
            if (indices.length == 0 || source.size(1) == 0) {
                out.add(Tensor.wrap(Nd4j.create(source.dataType(), shape)));
                continue;
            }
            // gather into a fresh (B, ...) array through its (B, rowLength) view, so the result owns its memory
            INDArray gathered = Nd4j.createUninitialized(source.dataType(), shape, 'c');
            Nd4j.pullRows(source, gathered.reshape('c', indices.length, source.size(1)), 1, indices);
            out.add(Tensor.wrap(gathered));
        }
        return new Batch(indices.clone(), out);
    }

    /** Field {@code i}, all examples. */
    public Tensor field(int i) {
        return fields.get(i);
    }

    public int numFields() {
        return fields.size();
    }

    /** Row-major over exactly its own buffer (a fresh array, or a reshape of one): usable without a copy. */
    private static boolean isPacked(INDArray v) {
        return v.ordering() == 'c' && v.offset() == 0 && v.data().length() == v.length()
                && org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(v);
    }

    private static long[] rowShape(long[] batchShape) {
        return Arrays.copyOfRange(batchShape, 1, batchShape.length);
    }
}
