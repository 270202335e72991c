import multiprocessing
import sys

if __name__ == "__main__":  # not when a worker process imports the main module (as __mp_main__)
    # A frozen build (PyInstaller) starts its worker processes (district loads of many files,
    # see nanzhou_desktop.district.parallel) by running this executable again: they stop here.
    multiprocessing.freeze_support()

    from nanzhou_desktop.cli import main

    sys.exit(main())
