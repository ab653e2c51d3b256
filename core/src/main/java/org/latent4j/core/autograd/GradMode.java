package org.latent4j.core.autograd;

/**
 * Whether the ops record a graph on this thread. Off inside {@link #noGrad()} (evaluation, sampling,
 * optimizer updates) and during a backward pass unless higher-order gradients are asked for.
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {
    }

    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** A scope in which no op records a graph: {@code try (var ng = GradMode.noGrad()) { ... }}. */
    public static Scope noGrad() {
        return set(false);
    }

    /** A scope in which ops record a graph again, e.g. inside a no-grad region. */
    public static Scope enableGrad() {
        return set(true);
    }

    static Scope set(boolean enabled) {
        boolean[] cell = ENABLED.get();
        boolean previous = cell[0];
        cell[0] = enabled;
        return new Scope(cell, previous);
    }

    /** Restores the previous mode when closed. */
    public static final class Scope implements AutoCloseable {
        private final boolean[] cell;
        private final boolean previous;

        private Scope(boolean[] cell, boolean previous) {
            this.cell = cell;
            this.previous = previous;
        }

        @Override
        public void close() {
            cell[0] = previous;
        }
    }
}
