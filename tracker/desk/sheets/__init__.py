"""``banso import-sheet``: a desk's own spreadsheet of consultations brought in.

One row is one consultation, with its dispatch application, decision and visit if it had
them (``fields.py`` lists the columns; a template and a mapping can be printed). The file
is read (``reading.py``), every row is checked by running the ordinary commands inside one
unit of work, and everything is recorded in one transaction only if no row was refused
(``importer.py``).
"""
