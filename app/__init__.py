"""Reformstyr: governance of a municipality's implementation of a national reform."""
