"""A person's session on a page, whatever the page: labelling (the label page's queue,
leases, review and live model) and drawing (the adversarial drawing rounds). The app
module serves them over HTTP; these modules know nothing of HTTP."""
