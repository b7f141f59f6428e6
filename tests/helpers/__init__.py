"""Helpers shared by test files: servers, fakes, sample data. Test files import only from here."""
