package org.latent4j.core.nn;

import org.latent4j.core.tensor.DType;

/** Argument checks shared by the layers' constructors, so their messages read the same. */
final class NnChecks {
    private NnChecks() {
    }

    static void requirePositive(String layer, String what, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(layer + ": " + what + " must be positive, got " + value);
        }
    }

    static void requireNonNegative(String layer, String what, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(layer + ": " + what + " must be non-negative, got " + value);
        }
    }

    static void requireFloat(String layer, DType dtype) {
        if (dtype == null || !(dtype == DType.FLOAT32 || dtype == DType.FLOAT64)) {
            throw new IllegalArgumentException(layer + ": parameters must be float32 or float64, got " + dtype);
        }
    }
}
