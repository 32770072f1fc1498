"""Reading the mapping files (YAML) into the journey model, with file and line for every problem."""
