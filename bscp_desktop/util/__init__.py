"""Small helpers every layer may use: dates, words, text, files, paths, the log file."""
