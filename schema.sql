-- sportello desk database, schema version 3 (the whole current schema).
-- A new database gets this file (PRAGMA user_version = 0 -> 2); an older one is brought up to
-- date by the files in migrations/, one per version.
-- Rules that must hold whatever the program does are enforced here, not only in code:
-- a company's codice fiscale never changes, units are never deleted, the audit log is
-- append-only and hash-chained.

CREATE TABLE officers (
    id              INTEGER PRIMARY KEY,
    codice_fiscale  TEXT NOT NULL UNIQUE CHECK (length(codice_fiscale) IN (11, 16)),
    name            TEXT NOT NULL CHECK (length(trim(name)) > 0),
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at      TEXT NOT NULL
);

-- A desk session begins with card authentication and expires.
CREATE TABLE sessions (
    id              INTEGER PRIMARY KEY,
    officer_id      INTEGER NOT NULL REFERENCES officers(id),
    started_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    evidence_sha256 TEXT,              -- the card-authentication evidence document
    ended_at        TEXT,              -- set by logout; a session ended early is not live
    CHECK (expires_at > started_at)
);

-- Documents are stored content-addressed: forms, procure, identity documents, p7m files.
CREATE TABLE documents (
    sha256          TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    size            INTEGER NOT NULL CHECK (size >= 0),
    kind            TEXT NOT NULL CHECK (kind IN ('delegation-form', 'procura', 'identity-document',
                                                  'card-evidence', 'other')),
    original_name   TEXT NOT NULL,
    stored_at       TEXT NOT NULL,
    -- The sportello.verify/1 report of a signed document, as JSON.
    verification    TEXT
);

CREATE TABLE companies (
    id              INTEGER PRIMARY KEY,
    codice_fiscale  TEXT NOT NULL UNIQUE CHECK (length(codice_fiscale) IN (11, 16)),
    name            TEXT NOT NULL CHECK (length(trim(name)) > 0),
    registered_office TEXT,
    pec             TEXT,
    created_at      TEXT NOT NULL
);

-- The companies screen pages the register by name.
CREATE INDEX companies_by_name ON companies (name, codice_fiscale);

CREATE TRIGGER companies_cf_never_changes
BEFORE UPDATE OF codice_fiscale ON companies
WHEN NEW.codice_fiscale IS NOT OLD.codice_fiscale
BEGIN
    SELECT RAISE(ABORT, 'the codice fiscale of a company cannot change');
END;

CREATE TRIGGER companies_never_deleted
BEFORE DELETE ON companies
BEGIN
    SELECT RAISE(ABORT, 'companies are not deleted');
END;

-- Declared kinds (tipologie); soggetti abilitati carry their register (albo) details.
CREATE TABLE company_kinds (
    company_id      INTEGER NOT NULL REFERENCES companies(id),
    kind            TEXT NOT NULL,
    register_details TEXT,
    PRIMARY KEY (company_id, kind)
);

CREATE TABLE units (
    id              INTEGER PRIMARY KEY,
    company_id      INTEGER NOT NULL REFERENCES companies(id),
    name            TEXT NOT NULL CHECK (length(trim(name)) > 0),
    is_default      INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    created_at      TEXT NOT NULL,
    UNIQUE (company_id, name)
);

CREATE TRIGGER units_never_deleted
BEFORE DELETE ON units
BEGIN
    SELECT RAISE(ABORT, 'units cannot be deleted: their history hangs on them');
END;

-- People known to the office (collaborators must be registered citizens).
CREATE TABLE people (
    id              INTEGER PRIMARY KEY,
    codice_fiscale  TEXT NOT NULL UNIQUE CHECK (length(codice_fiscale) = 16),
    surname         TEXT NOT NULL,
    name            TEXT NOT NULL,
    citizen_since   TEXT,               -- NULL: not a registered citizen
    created_at      TEXT NOT NULL
);

-- Legal representatives and procuratori (who needs the procura document).
CREATE TABLE representatives (
    company_id      INTEGER NOT NULL REFERENCES companies(id),
    person_id       INTEGER NOT NULL REFERENCES people(id),
    role            TEXT NOT NULL CHECK (role IN ('legale-rappresentante', 'procuratore')),
    procura_sha256  TEXT REFERENCES documents(sha256),
    created_at      TEXT NOT NULL,
    PRIMARY KEY (company_id, person_id, role),
    CHECK (role = 'legale-rappresentante' OR procura_sha256 IS NOT NULL)
);

-- Requests to enable a company's account administrator.
CREATE TABLE nominations (
    id              INTEGER PRIMARY KEY,
    company_id      INTEGER NOT NULL REFERENCES companies(id),
    admin_person_id INTEGER NOT NULL REFERENCES people(id),
    form_sha256     TEXT NOT NULL REFERENCES documents(sha256),
    state           TEXT NOT NULL CHECK (state IN ('in-attesa', 'approvata', 'respinta')),
    reason          TEXT,
    submitted_at    TEXT NOT NULL,
    decided_at      TEXT,
    CHECK (state != 'respinta' OR length(trim(reason)) > 0)
);

CREATE TABLE nomination_id_documents (
    nomination_id   INTEGER NOT NULL REFERENCES nominations(id),
    document_sha256 TEXT NOT NULL REFERENCES documents(sha256),
    expires_on      TEXT NOT NULL,
    PRIMARY KEY (nomination_id, document_sha256)
);

-- Profiles granted to collaborators, on the whole company (unit_id NULL) or on one unit.
CREATE TABLE grants (
    id              INTEGER PRIMARY KEY,
    company_id      INTEGER NOT NULL REFERENCES companies(id),
    person_id       INTEGER NOT NULL REFERENCES people(id),
    profile         TEXT NOT NULL,
    unit_id         INTEGER REFERENCES units(id),
    state           TEXT NOT NULL CHECK (state IN ('attiva', 'revocata', 'sospesa')),
    granted_at      TEXT NOT NULL,
    relationship_end TEXT,              -- end of the working relationship (YYYY-MM-DD)
    changed_at      TEXT,
    reason          TEXT,
    CHECK (state = 'attiva' OR length(trim(reason)) > 0)
);

-- Office policy settings (e.g. administrators per company: 'single' in the transitional
-- phase, 'multiple' afterwards).
CREATE TABLE settings (
    key             TEXT PRIMARY KEY,
    value           TEXT NOT NULL
);
INSERT INTO settings (key, value) VALUES ('administrators', 'single');

-- The audit log: every change appends a row in the same transaction. Each row's hash covers
-- its content and the previous row's hash, so an edit or a deletion breaks the chain.
CREATE TABLE audit_log (
    seq             INTEGER PRIMARY KEY,
    at              TEXT NOT NULL,
    officer_id      INTEGER REFERENCES officers(id),
    session_id      INTEGER REFERENCES sessions(id),
    action          TEXT NOT NULL,
    entity          TEXT NOT NULL,
    summary         TEXT NOT NULL,
    evidence_sha256 TEXT,
    prev_hash       TEXT NOT NULL CHECK (length(prev_hash) = 64),
    hash            TEXT NOT NULL UNIQUE CHECK (length(hash) = 64)
);

CREATE TRIGGER audit_log_no_update
BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete
BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
