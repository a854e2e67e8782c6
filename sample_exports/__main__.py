import sys

from sample_exports.cli import main

sys.exit(main())
