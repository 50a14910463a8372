"""smelterkg: a knowledge graph of 3TG smelters and refiners read from SEC Form SD reports.

The pipeline flows one way: ``smelterkg.ingest`` (read -> reconstruct tables -> normalise)
feeds the graph layers; ``smelterkg.data`` holds the bundled reports and curated tables.
"""

__version__ = "0.1.0"
