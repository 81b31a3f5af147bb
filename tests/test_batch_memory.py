"""A worker's peak memory is its own, not that of the process that started it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="VmHWM is Linux's")

# A parent that once held 300 MB starts a child, as a client starts its workers; the child
# says what peak_memory_mb and ru_maxrss give it.
PARENT = """
import resource, subprocess, sys
held = bytearray(300 * 1024 * 1024)
for i in range(0, len(held), 4096):
    held[i] = 1
del held
child = (
    "import resource; from harmledger.batch import peak_memory_mb; "
    "print(peak_memory_mb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
)
print(subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, check=True).stdout)
"""


def test_peak_memory_is_the_process_own_not_its_parent() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PARENT], capture_output=True, text=True, check=True
    ).stdout
    own, inherited = (float(x) for x in out.split())
    assert inherited >= 300  # ru_maxrss starts from the parent's peak
    assert own < 250  # the child never held the parent's 300 MB
    assert own > 5
