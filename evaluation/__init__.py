"""Evaluation data and its tools: the question bank (`bank`), its label check
(`check_bank`), the in-process assistant (`pipeline`) and the scoring of its understanding
(`scoring`, `eval_bank`)."""
