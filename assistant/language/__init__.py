"""Language stage: the engine's words and a deployment's domain pack, tokenising, question normalisation and
typo repair."""
