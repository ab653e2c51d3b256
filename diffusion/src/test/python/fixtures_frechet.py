"""Golden Fréchet distances for FrechetDistanceTest, computed the way pytorch-fid does (numpy mean and np.cov,
scipy.linalg.sqrtm of Σ₁Σ₂, real part) in float64. Run: /usr/bin/python3 fixtures_frechet.py"""
import json
import os

import numpy as np
import scipy
import scipy.linalg

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "frechet_distance.json")


def frechet(a, b):
    mu1, mu2 = a.mean(0), b.mean(0)
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    covmean, _ = scipy.linalg.sqrtm(s1 @ s2, disp=False)
    covmean = covmean.real
    return float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))


def arr(x):
    return {"shape": list(x.shape), "data": [float(v) for v in x.reshape(-1)]}


def main():
    rng = np.random.default_rng(0)
    cases = {}
    # correlated Gaussians with different means and covariances
    for name, n, m, d in [("small", 40, 30, 3), ("wide", 100, 80, 10)]:
        ma = rng.normal(size=(d, d))
        mb = rng.normal(size=(d, d)) * 0.5 + np.eye(d)
        a = rng.normal(size=(n, d)) @ ma + rng.normal(size=d)
        b = rng.normal(size=(m, d)) @ mb + 0.3 * rng.normal(size=d)
        cases[name] = {"a": arr(a), "b": arr(b), "distance": frechet(a, b)}
    # more features than samples: both covariances are singular
    a = rng.normal(size=(6, 10))
    b = rng.normal(size=(8, 10)) * 2 + 1
    cases["rank_deficient"] = {"a": arr(a), "b": arr(b), "distance": frechet(a, b)}
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump({"generator": "diffusion/src/test/python/fixtures_frechet.py", "numpy": np.__version__,
                   "scipy": scipy.__version__, "cases": cases}, f)
    print("wrote", os.path.normpath(OUT), {k: v["distance"] for k, v in cases.items()})


if __name__ == "__main__":
    main()
