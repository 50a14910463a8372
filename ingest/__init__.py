"""Reading Form SD conflict-minerals reports into an auditable table of smelter mentions.

Modules, in pipeline order:

* ``reading``      - bytes on disk -> decoded lines, with clear errors for bad input
* ``vocabulary``   - gazetteers of metals, statuses, header words, legal forms (from ``data/``)
* ``countries``    - country gazetteer (pycountry + curated aliases) and segmentation
* ``cells``        - one line -> typed fragments (metal, name, country, status, stray, junk)
* ``region``       - where the smelter table is in a report
* ``reconstruct``  - typed lines -> rows, repairing wraps, shifts, merges and column dumps
* ``report_facts`` - filer, reporting year and the counts the report states (spaCy)
* ``parse``        - one report end to end: rows + quarantine + facts + summary
* ``readers``      - one reader per input format, picked by content (text today)
* ``curated``      - the one loader for curated tables (gazetteers, ledger, labelled pairs)
* ``resolution``   - mentions -> facilities, decisions and events (layers, clusterer, oracle)
"""
