"""harmledger's version: the one place it lives. Every module may import this one."""

__version__ = "0.1.0"
