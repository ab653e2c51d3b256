package org.latent4j.core.kernels;

/**
 * Per-thread working arrays for the kernels, grown on demand and reused across calls, so a steady-state
 * step allocates nothing. Each kernel uses its own slots.
 */
final class Scratch {
    static final int SLOTS = 32;
    private static final ThreadLocal<float[][]> ARRAYS = ThreadLocal.withInitial(() -> new float[SLOTS][]);

    private Scratch() {
    }

    /** A float array of at least {@code size} elements for this thread and slot; contents are unspecified. */
    static float[] floats(int slot, int size) {
        float[][] all = ARRAYS.get();
        float[] a = all[slot];
        if (a == null || a.length < size) {
            a = new float[Math.max(size, a == null ? 0 : a.length + a.length / 2)];
            all[slot] = a;
        }
        return a;
    }
}
