"""Engine adapters: the only code that knows which static-site engine builds the pages."""
