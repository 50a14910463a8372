"""The graph smelterkg builds: its vocabulary, status schemes and SHACL contract (Turtle files in
this folder), a generated strict namespace module, and the mapping from read reports to RDF.

* ``smelterkg.ttl``   classes and properties (reusing ORG, PROV-O, SOSA, SKOS, DCTERMS)
* ``statuses.ttl``    SKOS status schemes of each wording era mapped to one canonical scheme
* ``shapes.ttl``      SHACL shapes: what a valid graph is
* ``namespace.py``    generated from smelterkg.ttl (``python -m smelterkg.ontology.generate``)
* ``iris.py``         how identifiers are minted (stable across rebuilds)
* ``mapping.py``      parsed reports + resolved facilities -> quads, one named graph per source
"""

from pathlib import Path

ONTOLOGY_DIR = Path(__file__).resolve().parent
VOCABULARY_FILE = ONTOLOGY_DIR / "smelterkg.ttl"
STATUSES_FILE = ONTOLOGY_DIR / "statuses.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
ONTOLOGY_FILES = (VOCABULARY_FILE, STATUSES_FILE)
