"""C-TIP Planner: counter-trafficking capacity development and national action planning."""

__version__ = "0.1.0"
