"""From a training claim and the session's options to stored training runs and the claimed statistic.

``settings`` holds a session's training options; ``splits`` loads the data a recipe trains on and names it
by content; ``cost`` times the claim's own model to estimate a run and choose threads and precision;
``numerics`` keeps ``auto``'s choice of precision for a model and device, so later sessions train in it too;
``store`` keeps each run once, atomically, keyed by everything that makes it another run, in files that ``names``
names so that Windows allows them too; ``local`` trains the runs in this process and reads the claimed statistic;
``retrains`` records a ``--claims-retrain`` in progress, so that the next one carries on an interrupted one;
``timing`` times epochs with pytest-benchmark.
``plan`` lists the runs the selected claims need, and ``cluster`` trains them on a Ray cluster.
"""
