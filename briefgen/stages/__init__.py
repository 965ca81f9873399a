"""The pipeline's stages, in order: load -> check (which runs analyse) -> resolve -> render, and
export beside render. Each is a function of what the stage before returned and changes none of
it; briefgen/pipeline.py runs them."""
