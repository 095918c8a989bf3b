"""Helpers several stages share: files (whole-file writes, a file's name as messages show it) and
collector (keeping Python's cyclic garbage collector off data that lives as long as a build)."""
