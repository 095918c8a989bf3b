"""Helpers several stages share: names (the one home of slugs, folding, transliteration keys and
the content hash), files (whole-file writes, a file's name as messages show it) and collector
(keeping Python's cyclic garbage collector off data that lives as long as a build)."""
