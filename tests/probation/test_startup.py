"""A server process freezes what it loads at start out of the garbage collector's sight (probation/startup.py)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COUNT = "import gc, probation.wsgi; print(gc.get_freeze_count())"


def test_the_wsgi_application_freezes_the_apps_models_and_views_it_loads() -> None:
    done = subprocess.run([sys.executable, "-c", COUNT], cwd=ROOT, capture_output=True, text=True, check=True)
    assert int(done.stdout.split()[-1]) > 50_000  # about 100,000 objects: a full collection no longer walks them
