/**
 * The kernel seam under the hot ops: {@link org.latent4j.core.kernels.Kernels} picks, per kernel and by
 * measurement, ND4J's implementation or a Java Vector API one (sgemm, softmax, layer norm, fused flash-style
 * attention). Java kernels read and write ND4J's host buffers in bulk and work on per-thread {@code float[]}
 * scratch; they run on a small persistent pool. May import tensor and ND4J; nothing else in Latent4j.
 */
package org.latent4j.core.kernels;
