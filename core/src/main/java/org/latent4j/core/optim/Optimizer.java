package org.latent4j.core.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.kernels.Kernels;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Updates parameters from their gradients. Parameters come in {@link Group}s, each with its own learning
 * rate and weight decay; per-parameter state (moments, momentum buffers, step counts) is keyed by the
 * parameter itself. Updates run in place on the parameters' arrays with state buffers allocated at a
 * parameter's first step, so a steady-state {@link #step()} allocates no parameter-sized memory.
 *
 * <pre>{@code
 * AdamW optimizer = new AdamW(AdamW.defaults().withLr(6e-4),
 *         ParamGroup.of(model.parameters(), p -> p.rank() >= 2).withWeightDecay(0.1),
 *         ParamGroup.of(model.parameters(), p -> p.rank() < 2).withWeightDecay(0));
 * LrSchedule schedule = LrSchedule.warmupCosine(100, 5000, 6e-5);
 * for (long step = 0; step < 5000; step++) {
 *     Tensor loss = ...;
 *     optimizer.zeroGrad();
 *     loss.backward();
 *     GradClip.clipGradNorm(model.parameters(), 1.0);
 *     optimizer.setLr(schedule, step);
 *     optimizer.step();
 * }
 * }</pre>
 */
public abstract class Optimizer {
    /** A group's parameters and its current settings; the learning rate changes under a schedule. */
    public static final class Group {
        private final List<Tensor> params;
        private final double baseLr;
        private final double weightDecay;
        private double lr;

        Group(List<Tensor> params, double lr, double weightDecay) {
            this.params = params;
            this.baseLr = lr;
            this.lr = lr;
            this.weightDecay = weightDecay;
        }

        public List<Tensor> params() {
            return params;
        }

        /** The learning rate the group was created with; schedules scale from it. */
        public double baseLr() {
            return baseLr;
        }

        public double lr() {
            return lr;
        }

        public void setLr(double value) {
            if (!(value >= 0)) {
                throw new IllegalArgumentException("setLr: learning rate must be non-negative, got " + value);
            }
            lr = value;
        }

        public double weightDecay() {
            return weightDecay;
        }
    }

    /** One parameter's state: its step count and named buffers, plus a scratch buffer that is not saved. */
    protected static final class State {
        long step;
        final LinkedHashMap<String, INDArray> buffers = new LinkedHashMap<>();
        INDArray scratch;

        /** The scratch buffer, allocated like {@code like} on first use. */
        INDArray scratch(INDArray like) {
            if (scratch == null) {
                scratch = Nd4j.createUninitialized(like.dataType(), like.shape());
            }
            return scratch;
        }

        /** The named buffer, allocated as zeros like {@code like} on first use. */
        INDArray zerosBuffer(String name, INDArray like) {
            return buffers.computeIfAbsent(name, n -> Nd4j.zeros(like.dataType(), like.shape()));
        }
    }

    private final String name;
    private final List<String> bufferNames;
    private final List<Group> groups = new ArrayList<>();
    private final IdentityHashMap<Tensor, State> state = new IdentityHashMap<>();

    /**
     * Checks and groups the parameters; settings a group leaves unset take {@code defaultLr} and
     * {@code defaultWeightDecay}. {@code bufferNames} are the per-parameter buffers the update rule keeps, as
     * PyTorch names them; {@link #loadStateDict} accepts those and no others.
     */
    protected Optimizer(String name, List<ParamGroup> paramGroups, double defaultLr, double defaultWeightDecay,
            List<String> bufferNames) {
        this.name = name;
        this.bufferNames = List.copyOf(bufferNames);
        if (!(defaultLr >= 0)) {
            throw new IllegalArgumentException(name + ": lr must be non-negative, got " + defaultLr);
        }
        if (!(defaultWeightDecay >= 0)) {
            throw new IllegalArgumentException(name + ": weightDecay must be non-negative, got " + defaultWeightDecay);
        }
        IdentityHashMap<Tensor, Integer> seen = new IdentityHashMap<>();
        int total = 0;
        for (ParamGroup pg : paramGroups) {
            for (Tensor p : pg.params()) {
                if (!p.isLeaf() || !p.dtype().isFloatingPoint()) {
                    throw new IllegalArgumentException(name + ": parameter of shape " + Shape.format(p.shape())
                            + " must be a floating-point leaf tensor");
                }
                Integer previous = seen.put(p, groups.size());
                if (previous != null) {
                    throw new IllegalArgumentException(name + ": a parameter of shape " + Shape.format(p.shape())
                            + " appears in group " + previous + " and again in group " + groups.size());
                }
                total++;
            }
            groups.add(new Group(pg.params(), pg.lr() != null ? pg.lr() : defaultLr,
                    pg.weightDecay() != null ? pg.weightDecay() : defaultWeightDecay));
        }
        if (total == 0) {
            throw new IllegalArgumentException(name + ": no parameters to optimize");
        }
    }

    /**
     * Updates every parameter that has a gradient; parameters without one, and frozen parameters (that no longer
     * require a gradient, see {@link org.latent4j.core.nn.Module#freeze()}), are left as they are, weight decay
     * included.
     */
    public final void step() {
        try (GradMode.Scope ng = GradMode.noGrad()) {
            for (Group group : groups) {
                for (Tensor p : group.params) {
                    Tensor grad = p.grad();
                    if (grad == null || !p.requiresGrad()) {
                        continue;
                    }
                    State s = state.computeIfAbsent(p, k -> new State());
                    s.step++;
                    update(p.value(), grad.value(), s, group);
                }
            }
        }
    }

    /** Applies one update to {@code param} in place, from {@code grad}, with {@code state.step} already counted. */
    protected abstract void update(INDArray param, INDArray grad, State state, Group group);

    /**
     * Sets every existing gradient to zero in place, keeping its memory for the next backward (PyTorch's
     * {@code zero_grad(set_to_none=False)}).
     */
    public final void zeroGrad() {
        for (Group group : groups) {
            for (Tensor p : group.params) {
                if (p.grad() != null) {
                    Kernels.fill(p.grad().value(), 0);
                }
            }
        }
    }

    public final List<Group> groups() {
        return Collections.unmodifiableList(groups);
    }

    /** Sets the learning rate of every group. */
    public final void setLr(double lr) {
        for (Group g : groups) {
            g.setLr(lr);
        }
    }

    /** Sets each group's learning rate to {@code schedule.lr(step, group.baseLr())}. */
    public final void setLr(LrSchedule schedule, long step) {
        for (Group g : groups) {
            g.setLr(schedule.lr(step, g.baseLr()));
        }
    }

    // ---- saving and loading -----------------------------------------------------------------------------

    /**
     * The optimizer's state by name, for checkpoints: {@code group.<i>.lr}, and for every parameter that has
     * taken a step {@code state.<name>.step} and {@code state.<name>.<buffer>} (e.g. {@code exp_avg}), where
     * names come from {@code namedParameters} (usually {@code model.namedParameters()}). Buffers are shared,
     * not copied.
     */
    public final LinkedHashMap<String, Tensor> stateDict(Map<String, Tensor> namedParameters) {
        IdentityHashMap<Tensor, String> names = namesOf(namedParameters, "stateDict");
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            out.put("group." + i + ".lr", Tensor.wrap(Nd4j.scalar(groups.get(i).lr)));
        }
        for (Group group : groups) {
            for (Tensor p : group.params) {
                State s = state.get(p);
                if (s == null) {
                    continue;
                }
                String prefix = "state." + names.get(p) + ".";
                out.put(prefix + "step", Tensor.wrap(Nd4j.scalar((double) s.step)));
                s.buffers.forEach((b, array) -> out.put(prefix + b, Tensor.wrap(array)));
            }
        }
        return out;
    }

    /**
     * Restores state saved by {@link #stateDict}: the parameters are matched by name, so the model may be a
     * fresh instance. Every key must be known and every buffer must have its parameter's shape.
     */
    public final void loadStateDict(Map<String, Tensor> saved, Map<String, Tensor> namedParameters) {
        IdentityHashMap<Tensor, String> names = namesOf(namedParameters, "loadStateDict");
        LinkedHashMap<String, Tensor> byName = new LinkedHashMap<>();
        names.forEach((p, n) -> byName.put(n, p));
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : saved.entrySet()) {
            String key = e.getKey();
            if (key.startsWith("group.") && key.endsWith(".lr")) {
                String index = key.substring("group.".length(), key.length() - ".lr".length());
                if (!index.matches("\\d+") || Integer.parseInt(index) >= groups.size()) {
                    problems.add(key + ": no such group (the optimizer has " + groups.size() + ")");
                }
                continue;
            }
            int dot = key.lastIndexOf('.');
            String param = key.startsWith("state.") && dot > "state.".length() ? key.substring("state.".length(), dot)
                    : null;
            String buffer = dot > 0 ? key.substring(dot + 1) : "";
            if (param == null || !byName.containsKey(param)) {
                problems.add(key + ": unexpected key");
            } else if (buffer.equals("step")) {
                if (e.getValue().numel() != 1) {
                    problems.add(key + ": step must be a scalar");
                }
            } else if (!bufferNames.contains(buffer)) {
                problems.add(key + ": " + name + " keeps no buffer '" + buffer + "' (it keeps " + bufferNames + ")");
            } else if (!Arrays.equals(e.getValue().shape(), byName.get(param).shape())) {
                problems.add(key + ": expected " + Shape.format(byName.get(param).shape()) + ", got "
                        + Shape.format(e.getValue().shape()));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(name + ".loadStateDict: " + String.join("; ", problems));
        }
        for (int i = 0; i < groups.size(); i++) {
            Tensor lr = saved.get("group." + i + ".lr");
            if (lr != null) {
                groups.get(i).setLr(lr.item());
            }
        }
        state.clear();
        byName.forEach((n, p) -> {
            Tensor step = saved.get("state." + n + ".step");
            if (step == null) {
                return;
            }
            State s = new State();
            s.step = (long) step.item();
            for (String b : bufferNames) {
                Tensor src = saved.get("state." + n + "." + b);
                if (src != null) {
                    INDArray copy = Nd4j.createUninitialized(p.value().dataType(), p.shape());
                    copy.assign(src.dtype() == p.dtype() ? src.value() : src.value().castTo(p.value().dataType()));
                    s.buffers.put(b, copy);
                }
            }
            state.put(p, s);
        });
    }

    private IdentityHashMap<Tensor, String> namesOf(Map<String, Tensor> namedParameters, String op) {
        IdentityHashMap<Tensor, String> names = new IdentityHashMap<>();
        namedParameters.forEach((n, p) -> names.putIfAbsent(p, n));
        IdentityHashMap<Tensor, String> mine = new IdentityHashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            for (Tensor p : groups.get(i).params) {
                String n = names.get(p);
                if (n == null) {
                    throw new IllegalArgumentException(name + "." + op + ": a parameter of shape "
                            + Shape.format(p.shape()) + " in group " + i + " has no name in the given map");
                }
                mine.put(p, n);
            }
        }
        return mine;
    }

    /** Step count of {@code param} (0 before its first update). */
    public final long stepCount(Tensor param) {
        State s = state.get(param);
        return s == null ? 0 : s.step;
    }

    // ---- in-place helpers for the update rules ------------------------------------------------------------

    /** {@code y += alpha·x} in place. */
    static void axpy(double alpha, INDArray x, INDArray y) {
        Nd4j.exec(new Axpy(x, y, y, alpha));
    }
}
