package org.latent4j.core.kernels;

import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the Java Vector API kernels may run here. They need the {@code jdk.incubator.vector} module
 * (the JVM flag {@code --add-modules=jdk.incubator.vector}) and ND4J's CPU backend, whose arrays live in
 * host memory; on CUDA the data stays on the device and ND4J's kernels are used. This class touches no
 * Vector API type, so it loads whether or not the module is present.
 */
final class VectorSupport {
    private static final Logger LOG = LoggerFactory.getLogger(VectorSupport.class);
    private static final boolean MODULE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    private static volatile Boolean usable;

    private VectorSupport() {
    }

    /** True when the Java kernels can be used: the module is loaded and the backend is ND4J's CPU one. */
    static boolean usable() {
        Boolean u = usable;
        if (u == null) {
            u = decide();
            usable = u;
        }
        return u;
    }

    /** True when ND4J's backend is the CPU one, whose arrays live in host memory that kernels may read and write. */
    static boolean cpuBackend() {
        String backend = Nd4j.getBackend().getClass().getSimpleName();
        return backend.startsWith("CpuBackend") || backend.contains("Cpu");
    }

    private static synchronized boolean decide() {
        if (usable != null) {
            return usable;
        }
        String backend = Nd4j.getBackend().getClass().getSimpleName();
        boolean cpu = cpuBackend();
        if (!MODULE) {
            LOG.info("jdk.incubator.vector is not loaded (start the JVM with --add-modules=jdk.incubator.vector): "
                    + "Latent4j uses ND4J's kernels for matmul, softmax, layer norm and attention");
        } else if (!cpu) {
            LOG.info("ND4J backend {} is not the CPU one: Latent4j uses ND4J's kernels", backend);
        }
        return MODULE && cpu;
    }
}
