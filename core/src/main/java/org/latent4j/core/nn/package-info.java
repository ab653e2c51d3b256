/**
 * Neural-network modules: {@link org.latent4j.core.nn.Module} (explicitly registered parameters, buffers and
 * children with PyTorch's dotted names, state dicts, train/eval), the layers built on it and the
 * initializers in {@link org.latent4j.core.nn.Init}. Parameter names and layouts equal PyTorch's modules of the
 * same name, so a PyTorch {@code state_dict} loads unchanged.
 *
 * <p>May import {@code tensor}, {@code autograd} and {@code ops}. Layers compute with the ops only (no raw ND4J
 * math in a forward); ND4J appears here only to fill and copy parameter values.
 */
package org.latent4j.core.nn;
