package org.latent4j.nerf;

import java.util.List;

/**
 * A small analytic scene that renders its own ground truth, so NeRF can be trained and judged with no download:
 * coloured spheres and axis-aligned boxes, each ray coloured by the nearest surface it hits with Lambert shading
 * under one directional light, {@code colour·(ambient + (1 − ambient)·max(0, n·l))}, or the background colour.
 * No shadows or reflections: the true radiance does not depend on the view direction.
 */
public final class Scene {
    /** A shape the scene's rays can hit. */
    public sealed interface Primitive permits Sphere, Box {
        /** The smallest t > 0 with o + t·d on the surface, or +∞. */
        double intersect(Vec3 origin, Vec3 direction);

        /** The outward unit normal at a surface point. */
        Vec3 normal(Vec3 point);

        /** Its albedo, each channel in [0, 1]. */
        Vec3 colour();
    }

    /** A sphere. */
    public record Sphere(Vec3 centre, double radius, Vec3 colour) implements Primitive {
        public Sphere {
            if (!(radius > 0)) {
                throw new IllegalArgumentException("Scene.Sphere: radius must be positive, got " + radius);
            }
            checkColour(colour);
        }

        @Override
        public double intersect(Vec3 o, Vec3 d) {
            // |o + t·d − c|² = r² with |d| = 1: t² + 2b·t + c = 0
            Vec3 oc = o.sub(centre);
            double b = oc.dot(d);
            double c = oc.dot(oc) - radius * radius;
            double disc = b * b - c;
            if (disc < 0) {
                return Double.POSITIVE_INFINITY;
            }
            double sq = Math.sqrt(disc);
            double t0 = -b - sq;
            double t1 = -b + sq;
            return t0 > 1e-9 ? t0 : t1 > 1e-9 ? t1 : Double.POSITIVE_INFINITY;
        }

        @Override
        public Vec3 normal(Vec3 p) {
            return p.sub(centre).normalize();
        }
    }

    /** An axis-aligned box between two corners. */
    public record Box(Vec3 min, Vec3 max, Vec3 colour) implements Primitive {
        public Box {
            if (!(min.x() < max.x() && min.y() < max.y() && min.z() < max.z())) {
                throw new IllegalArgumentException("Scene.Box: min " + min + " must be below max " + max
                        + " on every axis");
            }
            checkColour(colour);
        }

        @Override
        public double intersect(Vec3 o, Vec3 d) {
            // slab method: the ray is inside the box between the latest entry and the earliest exit
            double[] lo = {min.x(), min.y(), min.z()};
            double[] hi = {max.x(), max.y(), max.z()};
            double[] oo = {o.x(), o.y(), o.z()};
            double[] dd = {d.x(), d.y(), d.z()};
            double enter = Double.NEGATIVE_INFINITY;
            double exit = Double.POSITIVE_INFINITY;
            for (int a = 0; a < 3; a++) {
                if (Math.abs(dd[a]) < 1e-12) {
                    if (oo[a] < lo[a] || oo[a] > hi[a]) {
                        return Double.POSITIVE_INFINITY;
                    }
                    continue;
                }
                double ta = (lo[a] - oo[a]) / dd[a];
                double tb = (hi[a] - oo[a]) / dd[a];
                enter = Math.max(enter, Math.min(ta, tb));
                exit = Math.min(exit, Math.max(ta, tb));
            }
            if (exit < enter || exit <= 1e-9) {
                return Double.POSITIVE_INFINITY;
            }
            return enter > 1e-9 ? enter : exit;
        }

        @Override
        public Vec3 normal(Vec3 p) {
            // the face whose plane the point is closest to, relative to the box's half size
            Vec3 c = min.add(max).scale(0.5);
            Vec3 half = max.sub(min).scale(0.5);
            double qx = (p.x() - c.x()) / half.x();
            double qy = (p.y() - c.y()) / half.y();
            double qz = (p.z() - c.z()) / half.z();
            double ax = Math.abs(qx);
            double ay = Math.abs(qy);
            double az = Math.abs(qz);
            if (ax >= ay && ax >= az) {
                return new Vec3(Math.signum(qx), 0, 0);
            }
            return ay >= az ? new Vec3(0, Math.signum(qy), 0) : new Vec3(0, 0, Math.signum(qz));
        }
    }

    /** What one ray sees: its colour, the distance to the surface (+∞ for a miss) and whether it hit. */
    public record Hit(Vec3 colour, double depth, boolean hit) {
    }

    private final List<Primitive> primitives;
    private final Vec3 light;
    private final double ambient;
    private final Background background;

    /**
     * @param light      direction towards the light (normalized here)
     * @param ambient    the share of light every surface gets regardless of its orientation, in [0, 1]
     */
    public Scene(List<Primitive> primitives, Vec3 light, double ambient, Background background) {
        if (primitives == null || primitives.isEmpty()) {
            throw new IllegalArgumentException("Scene: needs at least one primitive");
        }
        if (!(ambient >= 0 && ambient <= 1)) {
            throw new IllegalArgumentException("Scene: ambient must be in [0, 1], got " + ambient);
        }
        if (background == null) {
            throw new IllegalArgumentException("Scene: background must not be null");
        }
        this.primitives = List.copyOf(primitives);
        this.light = light.normalize();
        this.ambient = ambient;
        this.background = background;
    }

    /**
     * The built-in scene, inside a radius of about 1.3 around the origin: a sand-coloured slab as the floor, a red,
     * a green and a blue sphere on it and a violet cube, on white, lit from above and to the side.
     */
    public static Scene builtIn() {
        return new Scene(List.of(
                new Box(new Vec3(-1.1, -0.75, -1.1), new Vec3(1.1, -0.55, 1.1), new Vec3(0.85, 0.75, 0.5)),
                new Sphere(new Vec3(-0.45, -0.05, 0.35), 0.5, new Vec3(0.9, 0.15, 0.15)),
                new Sphere(new Vec3(0.5, -0.15, -0.4), 0.4, new Vec3(0.15, 0.8, 0.25)),
                new Sphere(new Vec3(0.45, -0.3, 0.6), 0.25, new Vec3(0.15, 0.3, 0.95)),
                new Box(new Vec3(-0.75, -0.55, -0.8), new Vec3(-0.25, -0.05, -0.3), new Vec3(0.6, 0.3, 0.8))),
                new Vec3(0.4, 1.0, 0.6), 0.3, Background.WHITE);
    }

    public Background background() {
        return background;
    }

    public List<Primitive> primitives() {
        return primitives;
    }

    /** What the ray from {@code origin} along the unit {@code direction} sees. */
    public Hit trace(Vec3 origin, Vec3 direction) {
        double best = Double.POSITIVE_INFINITY;
        Primitive nearest = null;
        for (Primitive p : primitives) {
            double t = p.intersect(origin, direction);
            if (t < best) {
                best = t;
                nearest = p;
            }
        }
        if (nearest == null) {
            double b = background.value();
            return new Hit(new Vec3(b, b, b), Double.POSITIVE_INFINITY, false);
        }
        Vec3 n = nearest.normal(origin.add(direction.scale(best)));
        double shade = ambient + (1 - ambient) * Math.max(0, n.dot(light));
        return new Hit(nearest.colour().scale(shade), best, true);
    }

    private static void checkColour(Vec3 c) {
        if (c == null || !(c.x() >= 0 && c.x() <= 1 && c.y() >= 0 && c.y() <= 1 && c.z() >= 0 && c.z() <= 1)) {
            throw new IllegalArgumentException("Scene: colour " + c + " must have every channel in [0, 1]");
        }
    }
}
