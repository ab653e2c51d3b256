"""Regenerates every PyTorch fixture: /usr/bin/python3 core/src/test/python/make_fixtures.py (Debian python3-torch; a pyenv python3 earlier on PATH lacks it)."""
import glob
import os
import runpy

here = os.path.dirname(os.path.abspath(__file__))
for script in sorted(glob.glob(os.path.join(here, "fixtures_*.py"))):
    runpy.run_path(script, run_name="__main__")
