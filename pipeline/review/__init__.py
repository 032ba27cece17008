"""The review loop: facts out to the tools annotators use, corrections back in as gold.

Modules, one job each: `spec` (what a reviewer sees of a fact, from `fact_types.json`),
`layout` (facts laid out on their document as regions and links), `documents` (reading the
documents, grouping facts, writing gold JSON Lines), `label_studio` (tasks, labelling config,
import of reviewed exports), `brat` (standoff export and reader), `docbin` (spaCy DocBin),
`commands` (`rufakt export` and `rufakt import`).
"""
