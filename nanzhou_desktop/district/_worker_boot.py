"""Imported only by the fork server of the district's worker processes (see
:mod:`nanzhou_desktop.district.parallel`), first of its preloaded modules.

The fork server gives each worker it forks the signal handlers it had itself before it set its
own; Python's default for Ctrl+C raises KeyboardInterrupt, and a Ctrl+C in the moment between a
worker's fork and its initializer would print an English traceback on the user's terminal.
Ignoring it here, before the fork server saves its handlers, makes every worker start with
Ctrl+C ignored: the loading process decides what Ctrl+C means (the command line keeps what
was loaded and stops).
"""

import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)
