/**
 * The latent4j command-line tool and one runnable example per model, each writing its outputs under runs/.
 */
package org.latent4j.examples;
