"""Corpus stage: document files → notices (parsing, the 文头, section numbering) → chunks."""
