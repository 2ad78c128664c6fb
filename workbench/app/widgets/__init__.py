"""The main screen's widgets: candidate picker, weights, case, comparison table and notes."""
