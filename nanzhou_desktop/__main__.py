import sys

from nanzhou_desktop.cli import main

sys.exit(main())
