"""``python -m lpsched``: the ``lpsched`` command (:mod:`lpsched.cli`) without the console script.

Layer: interface.
"""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
