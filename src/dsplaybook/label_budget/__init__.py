"""The label_budget branch: the label-budget sweep, the classifier registry, labelling of
the whole pool and the choice of what people label next."""
