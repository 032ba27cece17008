-- The knowledge base: one SQLite file. Tables hold what was read (documents, sources) and
-- what was derived from it (nodes, edges, entities, facts, conflicts); views give the
-- analyst's shapes (mentions, aliases, facts_named, post_intervals, route_series,
-- conflict_sources). Every derived row is a function of the set of documents: the same
-- inputs give the same rows, whatever the order or number of `kb add` runs.

CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- One row per document: where it came from, its date, what identifies its content.
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    path TEXT,
    date TEXT,                  -- ISO yyyy-mm-dd (dateline, metadata or the facts' doc_date)
    status TEXT NOT NULL,       -- ok | error (as in the documents file of `rufakt extract`)
    error TEXT,
    content_hash TEXT NOT NULL, -- sha256 of the text, or of the facts when no text is known
    facts_hash TEXT NOT NULL,   -- sha256 of the document's facts (order-independent)
    text_hash TEXT NOT NULL,    -- the text the near-duplicate check compared (texts.hash)
    dup_group TEXT NOT NULL,    -- near-duplicate group: reprints share one
    n_facts INTEGER NOT NULL
);

-- Texts for near-duplicate detection: a MinHash signature and its 42 band buckets.
CREATE TABLE IF NOT EXISTS texts (
    hash TEXT PRIMARY KEY,
    signature BLOB NOT NULL,
    shingles INTEGER NOT NULL,
    dup_group TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS text_bands (
    band INTEGER NOT NULL, bucket INTEGER NOT NULL, hash TEXT NOT NULL,
    PRIMARY KEY (band, bucket, hash)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS text_bands_hash ON text_bands (hash);
CREATE TABLE IF NOT EXISTS text_pairs (
    a TEXT NOT NULL, b TEXT NOT NULL, containment REAL NOT NULL, PRIMARY KEY (a, b)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS text_pairs_b ON text_pairs (b);

-- Names of entities (nodes) and the within-document evidence that two names are one
-- entity (edges: an abbreviation defined in a text, a surname next to the full name).
CREATE TABLE IF NOT EXISTS nodes (
    key TEXT PRIMARY KEY,       -- per:ержан_кудайбергенов, org:газпром, country:KZ …
    kind TEXT NOT NULL,         -- per, org, country, place, route, project
    display TEXT NOT NULL,      -- the fullest form seen (or the gazetteer's name)
    rank TEXT NOT NULL,         -- sorts the canonical node of an entity first
    entity_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS nodes_entity ON nodes (entity_id);
CREATE TABLE IF NOT EXISTS edges (
    a TEXT NOT NULL, b TEXT NOT NULL, doc_id TEXT NOT NULL, why TEXT NOT NULL,
    PRIMARY KEY (a, b, doc_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS edges_b ON edges (b);
CREATE INDEX IF NOT EXISTS edges_doc ON edges (doc_id);

-- One row per real-world thing.
CREATE TABLE IF NOT EXISTS entities (
    id TEXT PRIMARY KEY,        -- the key of its canonical node
    type TEXT NOT NULL,         -- PER, ORG, LOC, ROUTE, PROJECT
    kind TEXT NOT NULL,         -- per, org, country, place, route, project
    name TEXT NOT NULL,
    code TEXT,                  -- ISO 3166 alpha-2 for countries
    waypoints TEXT              -- JSON list, routes only
);

-- Gazetteer aliases (the shipped file and the user's): alias node key → canonical key.
CREATE TABLE IF NOT EXISTS gazetteer (
    alias TEXT PRIMARY KEY, canonical TEXT NOT NULL
) WITHOUT ROWID;

-- One row per fact line read: the statement of one document, with its evidence.
CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY,
    fact_id TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    doc_date TEXT,
    dup_group TEXT NOT NULL,
    current INTEGER NOT NULL,   -- 0 when a holds_position is stated as former
    predicate TEXT NOT NULL,
    subject_node TEXT NOT NULL,
    object_node TEXT,           -- NULL for route_volume (the object is a quantity)
    subject_text TEXT, subject_normal TEXT NOT NULL, subject_start INTEGER, subject_end INTEGER,
    object_text TEXT, object_normal TEXT NOT NULL, object_start INTEGER, object_end INTEGER,
    object_type TEXT NOT NULL,
    value REAL, unit TEXT,
    qualifiers TEXT NOT NULL,   -- JSON object, as read
    evidence_text TEXT, evidence_start INTEGER, evidence_end INTEGER,
    rule TEXT, confidence REAL
);
CREATE INDEX IF NOT EXISTS sources_fact ON sources (fact_id, dup_group);
CREATE INDEX IF NOT EXISTS sources_fact_seen ON sources (fact_id, current, doc_date);
CREATE INDEX IF NOT EXISTS sources_fact_doc ON sources (fact_id, doc_id);
CREATE INDEX IF NOT EXISTS sources_doc ON sources (doc_id);
CREATE INDEX IF NOT EXISTS sources_subject ON sources (subject_node);
CREATE INDEX IF NOT EXISTS sources_object ON sources (object_node);

-- One row per distinct statement, merged over all its sources.
CREATE TABLE IF NOT EXISTS facts (
    id TEXT PRIMARY KEY,
    predicate TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    object_id TEXT,             -- NULL for route_volume
    position TEXT,              -- holds_position
    year INTEGER, status TEXT, unit TEXT, value REAL, commodity TEXT,  -- route_volume
    role TEXT,                  -- project_participant
    date TEXT,                  -- met_with: the meeting's date when a source states it
    approx TEXT,                -- route_volume: about / at_least / at_most when all agree
    sources INTEGER NOT NULL,   -- documents stating it
    independent INTEGER NOT NULL, -- near-duplicate groups among them (reprints count once)
    first_seen TEXT, last_seen TEXT, -- document dates (holds_position: current statements)
    confidence REAL
);
CREATE INDEX IF NOT EXISTS facts_subject ON facts (subject_id);
CREATE INDEX IF NOT EXISTS facts_object ON facts (object_id);
CREATE INDEX IF NOT EXISTS facts_post ON facts (predicate, object_id, position);
CREATE INDEX IF NOT EXISTS facts_series ON facts (predicate, subject_id, commodity, year, status, unit);

-- Disagreements, never resolved: two route volumes more than 5 % apart for the same route,
-- commodity, year, status and unit; two persons in one single-holder national post at
-- overlapping times.
CREATE TABLE IF NOT EXISTS conflicts (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,         -- route_volume | post
    topic TEXT NOT NULL,        -- the group the two facts disagree in, as a JSON key
    fact_a TEXT NOT NULL,
    fact_b TEXT NOT NULL,
    detail TEXT NOT NULL        -- one line for people
);
CREATE INDEX IF NOT EXISTS conflicts_topic ON conflicts (topic);

CREATE VIEW IF NOT EXISTS mentions AS
    SELECT s.doc_id, 'subject' AS role, s.id AS source_id, s.subject_node AS node,
           n.entity_id, s.subject_text AS text, s.subject_normal AS normal,
           s.subject_start AS start, s.subject_end AS "end"
    FROM sources s JOIN nodes n ON n.key = s.subject_node
    UNION ALL
    SELECT s.doc_id, 'object', s.id, s.object_node, n.entity_id, s.object_text,
           s.object_normal, s.object_start, s.object_end
    FROM sources s JOIN nodes n ON n.key = s.object_node;

CREATE VIEW IF NOT EXISTS aliases AS
    SELECT entity_id, display AS alias, 'name' AS origin FROM nodes
    UNION
    SELECT n.entity_id, g.alias, 'gazetteer' FROM gazetteer g JOIN nodes n ON n.key = g.canonical
    UNION
    SELECT entity_id, text, 'text' FROM mentions WHERE text IS NOT NULL;

CREATE VIEW IF NOT EXISTS facts_named AS
    SELECT f.*, s.name AS subject_name, s.type AS subject_type,
           o.name AS object_name, o.type AS object_type
    FROM facts f JOIN entities s ON s.id = f.subject_id LEFT JOIN entities o ON o.id = f.object_id;

CREATE VIEW IF NOT EXISTS post_intervals AS
    SELECT id AS fact_id, subject_id AS person_id, subject_name AS person, position,
           object_id, object_name AS "of", first_seen, last_seen, sources, independent
    FROM facts_named WHERE predicate = 'holds_position';

CREATE VIEW IF NOT EXISTS route_series AS
    SELECT id AS fact_id, subject_id AS route_id, subject_name AS route, commodity, year,
           status, unit, value, approx, sources, independent, first_seen, last_seen,
           EXISTS (SELECT 1 FROM conflicts c WHERE c.fact_a = facts_named.id
                   OR c.fact_b = facts_named.id) AS in_conflict
    FROM facts_named WHERE predicate = 'route_volume';

CREATE VIEW IF NOT EXISTS conflict_sources AS
    SELECT c.id AS conflict_id, c.kind, c.detail, s.fact_id, s.doc_id, s.doc_date,
           s.subject_normal, s.object_normal, s.evidence_text, s.confidence
    FROM conflicts c JOIN sources s ON s.fact_id IN (c.fact_a, c.fact_b);
