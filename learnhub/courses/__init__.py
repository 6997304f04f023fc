"""Study modules: the course folder format, its checker and importer."""
