"""The refresh pipeline: fetch, parse and index in worker processes, one writer."""
