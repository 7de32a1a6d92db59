"""An analyst's corrections of the record, and the review queue (issue 13): keys.py names records
by their reports, fields.py the values of fields, actions.py makes and undoes corrections,
enforce.py applies them after every change, audit.py lists, exports and re-applies them,
review.py finds what to review."""
