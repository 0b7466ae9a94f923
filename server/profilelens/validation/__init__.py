"""Checks of ratings that have no model file of their own, on the real data beside the project.

Apart from training/ on purpose: a check that runs from the served code and writes only its card and
figures must not change what `make train` builds (the models' code hash covers training/).
"""
