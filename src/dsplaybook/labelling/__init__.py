"""People labelling: what to label next (queue), the page's live model (live), the pool
labelled by a model (pool_labelling, model_choice), the final table (final_table) and
agreement between people (agreement). Config: the ``labelling:`` block."""
