"""The composition root: settings, building the desk (application and read models), verify."""
