"""Wage claims that end in a document (issue 15): questions, computation, templates, files."""
