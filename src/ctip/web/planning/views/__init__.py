"""Pages of the module catalogue and of the demand drawn from the TNA (the scenario pages are in
``views_scenarios.py``)."""
