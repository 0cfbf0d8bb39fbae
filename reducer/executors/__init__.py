"""Executors: where oracle calls run (base.py: the interface; local.py, dask.py)."""
