package org.latent4j.nerf;

/** The colour a ray sees where nothing absorbed it: volume rendering adds (1 − opacity) of it to each pixel. */
public enum Background {
    BLACK(0.0),
    WHITE(1.0);

    private final double value;

    Background(double value) {
        this.value = value;
    }

    /** The grey level of all three channels. */
    public double value() {
        return value;
    }
}
