"""Experiment drivers that check the papers' claims numerically (one module per family of claims).

Layer: theory.
"""
