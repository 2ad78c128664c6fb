"""Engine layer: value model, weights, patient context, reservation, SMAA. Never imports textual."""
