package org.latent4j.core.tensor;

import org.nd4j.linalg.api.buffer.DataType;

/** Element types a {@link Tensor} can hold. Float32 is the default; float64 is for gradient checks. */
public enum DType {
    FLOAT32(DataType.FLOAT, "float32"),
    FLOAT64(DataType.DOUBLE, "float64"),
    FLOAT16(DataType.HALF, "float16"),
    BFLOAT16(DataType.BFLOAT16, "bfloat16"),
    INT64(DataType.LONG, "int64"),
    INT32(DataType.INT, "int32"),
    UINT8(DataType.UBYTE, "uint8"),
    BOOL(DataType.BOOL, "bool");

    private final DataType nd4j;
    private final String displayName;

    DType(DataType nd4j, String displayName) {
        this.nd4j = nd4j;
        this.displayName = displayName;
    }

    public DataType nd4j() {
        return nd4j;
    }

    public boolean isFloatingPoint() {
        return this == FLOAT32 || this == FLOAT64 || this == FLOAT16 || this == BFLOAT16;
    }

    public static DType of(DataType type) {
        for (DType d : values()) {
            if (d.nd4j == type) {
                return d;
            }
        }
        throw new IllegalArgumentException("unsupported ND4J data type: " + type);
    }

    @Override
    public String toString() {
        return displayName;
    }
}
