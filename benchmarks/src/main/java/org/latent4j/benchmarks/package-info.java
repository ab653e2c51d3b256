/**
 * JMH benchmarks of the hot loops (matmul, softmax, layer norm, conv2d, attention, per-op cost),
 * compared side by side with the same shapes in PyTorch by benchmarks/compare.
 */
package org.latent4j.benchmarks;
