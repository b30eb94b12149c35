"""gogcsim: exact-anchor edits of a copied Go source file, for the instrument_*.py scripts.

Each edit replaces an anchor that must occur exactly once, so an edit aimed at another Go
version aborts instead of silently doing nothing or too much.
"""
import os
import sys


class AnchoredFile:
    def __init__(self, path):
        self.path = path
        self.who = os.path.basename(sys.argv[0])
        with open(path) as f:
            self.src = f.read()

    def edit(self, anchor, replacement):
        n = self.src.count(anchor)
        if n != 1:
            sys.exit("%s: anchor found %d times (want 1):\n%s" % (self.who, n, anchor))
        self.src = self.src.replace(anchor, replacement)

    def save(self):
        with open(self.path, "w") as f:
            f.write(self.src)
