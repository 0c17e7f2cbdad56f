"""Suite-wide set-up."""

import signal

# A shell without job control starts background commands (`pytest ... &`) with SIGINT
# ignored, and Python then never raises KeyboardInterrupt: the Ctrl-C tests (in this
# process, and in the subprocesses they start, which inherit "ignored") would fail for a
# reason that is not deltanet's. Restore Python's own handler, as in a terminal.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
