"""Answer functions: `Turn` in, `Reply` out; one module per kind of question."""
