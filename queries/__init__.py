"""Saved SPARQL queries (one .rq file per question users ask) and the code that runs them."""
