"""Test harness for xAPI and cmi5: a real LRS (Ralph), a small cmi5 launcher, and statement checks."""
