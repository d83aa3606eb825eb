"""Translate stage: findings into business words, through the shared lexicon."""
