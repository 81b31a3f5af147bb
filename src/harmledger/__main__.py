"""``python -m harmledger``: the ``harmledger`` command, for an environment whose scripts
folder is not on the PATH."""

from harmledger.cli import main

if __name__ == "__main__":
    main(prog_name="harmledger")
