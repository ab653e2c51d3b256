package org.latent4j.nerf;

/**
 * A pinhole camera's image plane: {@code width × height} pixels and the focal length in pixels. A pixel's ray
 * leaves the camera through the pixel's centre, {@code ((i + ½ − W/2)/f, −(j + ½ − H/2)/f, −1)} in camera
 * coordinates (x right, y up, looking down −z, as the NeRF paper's synthetic scenes).
 */
public record Intrinsics(int width, int height, double focal) {
    public Intrinsics {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("Intrinsics: width and height must be positive, got " + width + "x"
                    + height);
        }
        if (!(focal > 0) || !Double.isFinite(focal)) {
            throw new IllegalArgumentException("Intrinsics: focal must be positive and finite, got " + focal);
        }
    }

    /** A square-pixel camera whose horizontal field of view is {@code fovDegrees}: f = ½W / tan(½ fov). */
    public static Intrinsics fromFieldOfView(int width, int height, double fovDegrees) {
        if (!(fovDegrees > 0 && fovDegrees < 180)) {
            throw new IllegalArgumentException("Intrinsics: field of view must be in (0, 180) degrees, got "
                    + fovDegrees);
        }
        if (width < 1) {
            throw new IllegalArgumentException("Intrinsics: width must be positive, got " + width);
        }
        return new Intrinsics(width, height, 0.5 * width / Math.tan(Math.toRadians(fovDegrees) / 2));
    }

    public int numPixels() {
        return width * height;
    }

    /** The horizontal field of view in degrees. */
    public double fieldOfViewDegrees() {
        return Math.toDegrees(2 * Math.atan(0.5 * width / focal));
    }
}
